import { z } from 'zod';

/** The value of `format` in every project file. */
export const PROJECT_FORMAT = 'backprop-studio';
/** The version this code writes; older versions are migrated on load, newer ones refused. */
export const PROJECT_VERSION = 2;

const id = z.string().min(1).max(200);
const finite = z.number().finite();

export const positionSchema = z.object({ x: finite, y: finite });

export const graphNodeSchema = z.object({
  id,
  /** A node-type id from the registry; an unknown type loads and is flagged by validation. */
  type: z.string().max(200),
  /** Raw parameters; the registry's schema gives defaults and checks them during validation. */
  params: z.record(z.string(), z.unknown()),
  position: positionSchema,
  /** Optional display name shown instead of the id. */
  label: z.string().max(200).optional(),
});

export const graphEdgeSchema = z.object({
  id,
  source: id,
  sourcePort: z.string().min(1).max(100),
  target: id,
  targetPort: z.string().min(1).max(100),
});

export const graphSchema = z.object({
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
});

export const datasetRefSchema = z.object({
  /** A data set name known to the engine (e.g. `xor`, `spiral3`, `digits`) or `csv`. */
  name: z.string().min(1).max(100),
  /** Generator settings such as `{ "n": 200, "noise": 0.1 }`, or `{ "path": "…" }` for a CSV. */
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
});

export const optimizerSchema = z.object({
  type: z.enum(['sgd', 'adam', 'adamw']),
  // Up to 1e6: a diverging run (lr 1e3) is one of the course's experiments.
  lr: z.number().positive().max(1e6),
  momentum: z.number().min(0).max(1),
  nesterov: z.boolean(),
  weightDecay: z.number().min(0).max(10),
  beta1: z.number().min(0).max(1),
  beta2: z.number().min(0).max(1),
  eps: z.number().positive().max(1),
});

export const trainingSchema = z.object({
  dataset: datasetRefSchema,
  /** Fractions of the data for training, development (validation) and test; they sum to 1. */
  split: z
    .object({
      train: z.number().min(0).max(1),
      dev: z.number().min(0).max(1),
      test: z.number().min(0).max(1),
      /** The split's own seed, so the data can stay put while the training seed varies; default: `seed`. */
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 32 - 1)
        .optional(),
    })
    .refine(
      (s) => Math.abs(s.train + s.dev + s.test - 1) < 1e-6 && s.train > 0,
      'the train, dev and test fractions must sum to 1, with some training data',
    ),
  optimizer: optimizerSchema,
  batchSize: z
    .number()
    .int()
    .min(1)
    .max(1 << 20),
  epochs: z.number().int().min(1).max(1_000_000),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  /** Standardise each feature to mean 0, variance 1 using training-set statistics. */
  standardize: z.boolean(),
  /** Stop when the dev loss has not improved for `patience` epochs, and go back to the best epoch's weights. */
  earlyStopping: z.object({ enabled: z.boolean(), patience: z.number().int().min(1).max(100_000) }),
  /**
   * Permute the labels of the training split (the random-label experiment: a big enough network
   * still fits them, while dev and test, which keep their true labels, stay at chance).
   */
  shuffleLabels: z.boolean().default(false),
});

/** One parameter tensor: row-major values and their shape (PyTorch layout). */
export const weightTensorSchema = z
  .object({
    shape: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(1 << 30),
      )
      .max(8),
    data: z.array(z.number()),
  })
  .refine((t) => t.shape.reduce((a, b) => a * b, 1) === t.data.length, 'the number of values does not match the shape');

export const projectSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  name: z.string().max(200),
  description: z.string().max(20_000),
  graph: graphSchema,
  training: trainingSchema,
  /** Optional weights keyed by `<nodeId>.<torchName>`, e.g. `fc1.weight`. */
  weights: z.record(z.string(), weightTensorSchema).optional(),
  /** Editor state (viewport, theme of the canvas, …); opaque to the engine. */
  ui: z.record(z.string(), z.unknown()).optional(),
});

export type Position = z.infer<typeof positionSchema>;
export type GraphNode = z.infer<typeof graphNodeSchema>;
export type GraphEdge = z.infer<typeof graphEdgeSchema>;
export type Graph = z.infer<typeof graphSchema>;
export type DatasetRef = z.infer<typeof datasetRefSchema>;
export type OptimizerSettings = z.infer<typeof optimizerSchema>;
export type TrainingSettings = z.infer<typeof trainingSchema>;
export type WeightTensor = z.infer<typeof weightTensorSchema>;
export type Project = z.infer<typeof projectSchema>;

export function defaultTrainingSettings(): TrainingSettings {
  return {
    dataset: { name: 'xor', params: {} },
    split: { train: 0.7, dev: 0.15, test: 0.15 },
    optimizer: {
      type: 'sgd',
      lr: 0.1,
      momentum: 0,
      nesterov: false,
      weightDecay: 0,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
    },
    batchSize: 32,
    epochs: 100,
    seed: 0,
    standardize: false,
    earlyStopping: { enabled: false, patience: 10 },
    shuffleLabels: false,
  };
}

/** An empty project with default training settings. */
export function newProject(name = 'Untitled'): Project {
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    name,
    description: '',
    graph: { nodes: [], edges: [] },
    training: defaultTrainingSettings(),
  };
}
