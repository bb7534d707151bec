import { z } from 'zod';
import { codeLangSchema } from './export';
import { method } from './method';
import { projectDocumentSchema } from './projects';
import { fullTensorSchema, tensorSummarySchema } from './tensor';
import { unrolledMethods } from './unrolled';
import { tapeMethods, tapeOpStepSchema } from './tape';

export const sessionIdSchema = z.string().min(1).max(100);
const sid = z.object({ sessionId: sessionIdSchema }).strict();

/** What one forward or backward step did (the node to highlight, the edges to refresh). */
export const stepReportSchema = z.object({
  direction: z.enum(['forward', 'backward']),
  nodeId: z.string(),
  index: z.number().int(),
  total: z.number().int(),
  edges: z.array(z.string()),
  outputs: z.record(z.string(), z.array(z.number().int())).optional(),
  loss: z.number().nullable().optional(),
  parameters: z.array(z.string()).optional(),
});
export type StepReportPayload = z.infer<typeof stepReportSchema>;

export const sessionPhaseSchema = z.enum([
  'empty',
  'ready',
  'forward',
  'forwarded',
  'backward',
  'backwarded',
  'updated',
]);
/** Where the step session is in its pass (the engine's StepSession, the worker and the step bar all use this one). */
export type SessionPhase = z.infer<typeof sessionPhaseSchema>;

/** The session's state after a command. `loss` is null until a loss node has run (or if it is not finite). */
const stateFields = {
  phase: sessionPhaseSchema,
  currentNode: z.string().nullable(),
  loss: z.number().nullable(),
  /** Optimizer updates applied so far. */
  step: z.number().int(),
};
/**
 * The summaries of what a command touched, so that one round trip per step is enough: forward,
 * the activations of the edges it filled and the values of the parameters it read; backward, the
 * final gradients of its edges and parameters; an update, the parameters' new values. Null: nothing
 * there (no gradient flows on that edge).
 */
export const stepTensorsSchema = z.object({
  edges: z.record(z.string(), tensorSummarySchema.nullable()),
  parameters: z.record(z.string(), tensorSummarySchema.nullable()),
  /**
   * Forward, in training mode: the mask a Dropout node drew, on each edge leaving it (0 where a
   * unit was dropped, 1/(1 − p) where it was kept and scaled). Absent in evaluation mode.
   */
  masks: z.record(z.string(), tensorSummarySchema).optional(),
});
export type StepTensors = z.infer<typeof stepTensorsSchema>;
const stepResult = z.object({ report: stepReportSchema.nullable(), tensors: stepTensorsSchema, ...stateFields });
const runResult = z.object({ reports: z.array(stepReportSchema), tensors: stepTensorsSchema, ...stateFields });
/**
 * A backward command asked before the forward pass is complete completes it first, in the same
 * round trip: its reports and what they touched (absent when the forward pass was complete).
 */
const forwardFirst = {
  forward: z.object({ reports: z.array(stepReportSchema), tensors: stepTensorsSchema }).optional(),
};
const backwardStepResult = stepResult.extend(forwardFirst);
const backwardRunResult = runResult.extend(forwardFirst);
export const sessionStateSchema = z.object(stateFields);
export type SessionState = z.infer<typeof sessionStateSchema>;

/** A tensor the inspector can ask for: an edge's activation or gradient, or a parameter. */
export const tensorRefSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('edge'), edgeId: z.string().min(1).max(200), kind: z.enum(['activation', 'gradient']) })
    .strict(),
  z
    .object({
      type: z.literal('parameter'),
      name: z.string().min(1).max(300),
      kind: z.enum(['value', 'gradient', 'previous', 'update']),
    })
    .strict(),
]);
export type TensorRef = z.infer<typeof tensorRefSchema>;

/** What `session.create` tells about the compiled graph (the worker reports it once it is ready). */
export const sessionInfoSchema = z.object({
  order: z.array(z.string()),
  losses: z.array(z.string()),
  parameters: z.array(z.object({ name: z.string(), shape: z.array(z.number().int()) })),
  /** Examples in the project's data set per split (null when it has none). */
  dataset: z
    .object({ name: z.string(), train: z.number().int(), dev: z.number().int(), test: z.number().int() })
    .nullable(),
  /** The precision of every parameter, activation and gradient of the session. */
  dtype: z.enum(['float32', 'float64']),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

/** What a gradient check looks at: the gradient of an edge's activation, or of a parameter. */
export const gradCheckRefSchema = z.union([
  z.object({ type: z.literal('edge'), edgeId: z.string().min(1).max(200) }).strict(),
  z.object({ type: z.literal('parameter'), name: z.string().min(1).max(300) }).strict(),
]);
export type GradCheckRef = z.infer<typeof gradCheckRefSchema>;

/** Backprop's gradient against central finite differences at a few entries. */
export const gradCheckResultSchema = z.object({
  maxRelError: z.number(),
  entries: z.array(
    z.object({ index: z.number().int(), backprop: z.number(), numeric: z.number(), relError: z.number() }),
  ),
});
export type GradCheckResult = z.infer<typeof gradCheckResultSchema>;

/** One loss drawn over the x axis of a loss view: its value and its slope ∂ℓ/∂x at every x. */
const lossCurveSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** The graph's own loss (the others are drawn for comparison). */
  chosen: z.boolean(),
  loss: z.array(z.number()),
  slope: z.array(z.number()),
});
/** One example of the step batch at the loss node: where it sits on the x axis, its loss and its slope. */
const lossPointSchema = z.object({
  /** Row of the batch (rows of scores, for class losses over sequences). */
  row: z.number().int(),
  label: z.number(),
  x: z.number(),
  loss: z.number(),
  slope: z.number(),
});
/**
 * Losses side by side: the loss node's loss and its slope against the margin y·w (binary), the
 * class margin w_y − max_{y'≠y} w_{y'} (multiclass) or the residual w − y (regression), beside
 * the course's other losses on the same axis, all computed by the engine's loss ops; with the
 * step batch's examples as points once the forward pass has reached the loss node.
 */
export const lossViewSchema = z.object({
  nodeId: z.string(),
  lossType: z.string(),
  axis: z.enum(['margin', 'class-margin', 'residual']),
  xLabel: z.string(),
  slopeLabel: z.string(),
  xs: z.array(z.number()),
  curves: z.array(lossCurveSchema),
  /** Null until the forward pass has evaluated the loss node. */
  points: z.array(lossPointSchema).nullable(),
  /** Examples in the batch, when more than the points shown. */
  rows: z.number().int(),
  note: z.string(),
});
export type LossView = z.infer<typeof lossViewSchema>;

/** Values for a batch given directly: JSON tensors by data-node id (or the tensor itself when there is one such node). */
const jsonTensor = z.unknown();

/**
 * The equivariance lab (step bar): the batch's images turned `rotate` quarter turns
 * (torch.rot90, counter-clockwise as drawn), then shifted circularly `shiftY` rows down and
 * `shiftX` columns right (torch.roll). Only Inputs of N×C×H×W are changed.
 */
export const inputTransformSchema = z
  .object({
    rotate: z.number().int().min(0).max(3),
    shiftY: z.number().int().min(-4096).max(4096),
    shiftX: z.number().int().min(-4096).max(4096),
  })
  .strict();
export const sessionMethods = {
  ...tapeMethods,
  /** Compiles the project's graph in a new worker thread; the session keeps weights between steps. */
  'session.create': method(
    z
      .object({
        project: projectDocumentSchema,
        /** float64 to step in double precision (numbers checked by hand agree to the last digit); default float32, as training. */
        dtype: z.enum(['float32', 'float64']).optional(),
        /**
         * An idle session of this client whose worker thread takes the new project instead of a
         * new thread (starting one costs seconds; recompiling, milliseconds). That session is
         * closed and the answer names a new one, as for a fresh session; a session that cannot be
         * reused (training, restarting, gone) is left alone and a new thread starts.
         */
        reuse: sessionIdSchema.optional(),
      })
      .strict(),
    z.object({ sessionId: z.string(), ...sessionInfoSchema.shape }),
  ),
  'session.close': method(sid, z.object({})),
  /** Restarts the session's worker from its last checkpoint (after a crash). */
  'session.restart': method(sid, z.object({ step: z.number().int().nullable() })),
  /** Loads a batch: examples of the project's data set by split and index, or explicit values. */
  'session.loadBatch': method(
    z.union([
      z
        .object({
          sessionId: sessionIdSchema,
          split: z.enum(['train', 'dev', 'test']),
          indices: z.array(z.number().int().nonnegative().max(1e9)).min(1).max(65_536),
          transform: inputTransformSchema.optional(),
        })
        .strict(),
      z.object({ sessionId: sessionIdSchema, inputs: jsonTensor, targets: jsonTensor.optional() }).strict(),
    ]),
    z.object({ size: z.number().int(), ...stateFields }),
  ),
  'session.stepForward': method(sid, stepResult),
  'session.stepBackward': method(sid, backwardStepResult),
  /**
   * Backpropagates through one op of the tape (see ./tape.ts); `report` is the node step it
   * completed (its edges' and parameters' final gradients in `tensors`), null while the node has ops left.
   */
  'session.stepBackwardOp': method(sid, backwardStepResult.extend({ tapeStep: tapeOpStepSchema })),
  /**
   * Backpropagation through time, a time step at a time: once the backward pass has reached the
   * recurrent node `nodeId`, one more hidden state's gradient becomes final per call (the latest
   * first), `timeStep` saying which; before or past the node, and for the records left after the
   * first step's state, a backward step (`report`).
   */
  'session.stepBackwardTime': method(
    z.object({ sessionId: sessionIdSchema, nodeId: z.string().min(1).max(200) }).strict(),
    backwardStepResult.extend({
      timeStep: z.object({ layer: z.number().int(), direction: z.number().int(), t: z.number().int() }).nullable(),
    }),
  ),
  'session.runForward': method(sid, runResult),
  'session.runBackward': method(sid, backwardRunResult),
  'session.applyUpdate': method(
    sid,
    z.object({ ...stateFields, parameters: z.array(z.string()), tensors: stepTensorsSchema }),
  ),
  'session.reset': method(sid, sessionStateSchema),
  /**
   * Training or evaluation mode for the next passes (dropout masks and batch statistics in
   * training; identity and running statistics in evaluation); the current pass starts over.
   */
  'session.setMode': method(
    z.object({ sessionId: sessionIdSchema, mode: z.enum(['train', 'eval']) }).strict(),
    z.object({ ...stateFields, mode: z.enum(['train', 'eval']) }),
  ),
  /**
   * Live preview: loads the examples `indices` of `split`, runs one forward pass (and, with
   * `gradients`, one backward pass) and answers every edge's activation (and gradient) at once.
   * The pass it leaves is the session's own: a backward step continues it; a forward step starts
   * a new one from the first node.
   */
  'session.preview': method(
    z
      .object({
        sessionId: sessionIdSchema,
        split: z.enum(['train', 'dev', 'test']),
        indices: z.array(z.number().int().nonnegative().max(1e9)).min(1).max(1024),
        gradients: z.boolean(),
        transform: inputTransformSchema.optional(),
      })
      .strict(),
    z.object({
      size: z.number().int(),
      activations: stepTensorsSchema,
      /** Null without `gradients`, or when the graph has no loss to backpropagate. */
      gradients: stepTensorsSchema.nullable(),
      ...stateFields,
    }),
  ),
  'session.edgeSummary': method(
    z
      .object({
        sessionId: sessionIdSchema,
        edgeId: z.string().min(1).max(200),
        kind: z.enum(['activation', 'gradient']),
      })
      .strict(),
    z.object({ summary: tensorSummarySchema.nullable() }),
  ),
  'session.parameterSummary': method(
    z
      .object({
        sessionId: sessionIdSchema,
        name: z.string().min(1).max(300),
        kind: z.enum(['value', 'gradient', 'previous', 'update']),
      })
      .strict(),
    z.object({ summary: tensorSummarySchema.nullable() }),
  ),
  'session.fullTensor': method(
    z.object({ sessionId: sessionIdSchema, ref: tensorRefSchema }).strict(),
    z.object({ tensor: fullTensorSchema.nullable() }),
  ),
  /** Compares backprop's gradient with central finite differences (float64) at a few entries. */
  'session.gradCheck': method(
    z
      .object({
        sessionId: sessionIdSchema,
        ref: gradCheckRefSchema,
        samples: z.number().int().min(1).max(64).optional(),
      })
      .strict(),
    gradCheckResultSchema,
  ),
  /** The predicted class over a grid of the plane, for a graph whose Input has 2 features (rows: y from yMin up). */
  'session.decisionBoundary': method(
    z
      .object({
        sessionId: sessionIdSchema,
        resolution: z.number().int().min(2).max(256).optional(),
        xMin: z.number().finite().optional(),
        xMax: z.number().finite().optional(),
        yMin: z.number().finite().optional(),
        yMax: z.number().finite().optional(),
      })
      .strict(),
    z.object({
      resolution: z.number().int(),
      xMin: z.number(),
      xMax: z.number(),
      yMin: z.number(),
      yMax: z.number(),
      labels: z.array(z.number().int()),
      /** Probability of the predicted class (sigmoid or softmax of the scores). */
      confidence: z.array(z.number()),
    }),
  ),
  /**
   * A regression on one feature: the prediction at `resolution` evenly spaced inputs over the
   * data's range, and the train/dev samples (at most 400 each) in the model's input space.
   */
  'session.fittedCurve': method(
    z.object({ sessionId: sessionIdSchema, resolution: z.number().int().min(2).max(1024).optional() }).strict(),
    z.object({
      xs: z.array(z.number()),
      ys: z.array(z.number()),
      train: z.array(z.object({ x: z.number(), y: z.number() })),
      dev: z.array(z.object({ x: z.number(), y: z.number() })),
    }),
  ),
  /** The current weights by PyTorch name (`fc1.weight`), as the project file's `weights` holds them. */
  /**
   * Verify: runs the program the Code tab shows (a TypeScript language) in the session's worker on
   * the loaded batch and current weights, and compares its loss and every parameter gradient with
   * the session's own forward and backward pass on the same batch and weights.
   */
  'session.verifyCode': method(
    z.object({ sessionId: sessionIdSchema, lang: codeLangSchema }).strict(),
    z.object({
      lang: codeLangSchema,
      same: z.boolean(),
      bitForBit: z.boolean(),
      maxError: z.number(),
      tolerance: z.number(),
      loss: z.object({ code: z.number().nullable(), canvas: z.number().nullable() }),
      gradients: z.number().int(),
      entries: z.number().int(),
      worst: z
        .object({
          name: z.string(),
          index: z.number().int(),
          code: z.number().nullable(),
          canvas: z.number().nullable(),
        })
        .nullable(),
      batchSize: z.number().int(),
      /** The canvas's precision, and the program's (TypeScript from scratch computes in float64). */
      dtype: z.enum(['float32', 'float64']),
      codeDtype: z.enum(['float32', 'float64']),
      mode: z.enum(['train', 'eval']),
      note: z.string().nullable(),
    }),
  ),
  'session.weights': method(
    sid,
    z.object({
      step: z.number().int(),
      weights: z.record(z.string(), z.object({ shape: z.array(z.number().int()), data: z.array(z.number()) })),
    }),
  ),
  /** The loss view of a loss node (the first loss node when none is named): see lossViewSchema. */
  'session.lossView': method(
    z.object({ sessionId: sessionIdSchema, nodeId: z.string().min(1).max(200).optional() }).strict(),
    lossViewSchema,
  ),
  /** Counts m[true][predicted] over a split of the project's data set (binary labels as 0/1). */
  'session.confusionMatrix': method(
    z.object({ sessionId: sessionIdSchema, split: z.enum(['train', 'dev', 'test']) }).strict(),
    z.object({
      split: z.string(),
      numClasses: z.number().int(),
      samples: z.number().int(),
      matrix: z.array(z.array(z.number().int())),
    }),
  ),
  /**
   * Translate: greedy decoding of a typed source word with the session's current weights, for a
   * seq2seq graph on the toy translation data set; tokens by their printable names.
   */
  'session.translate': method(
    z.object({ sessionId: sessionIdSchema, source: z.string().max(200) }).strict(),
    z.object({
      source: z.array(z.string()),
      output: z.array(z.string()),
      /** What the task makes of the source (reversed or copied). */
      expected: z.array(z.string()),
      /** The first attention node's weights: a row per output step (the last is `</s>`), a column per source token. */
      attention: z.array(z.array(z.number())).nullable(),
      task: z.string(),
    }),
  ),
  ...unrolledMethods,
};

export const sessionEvents = {
  /** A session's worker stopped (crash, out of memory); `restarting` says whether it comes back by itself. */
  'session.crashed': z.object({
    sessionId: z.string(),
    reason: z.string(),
    outOfMemory: z.boolean(),
    restarting: z.boolean(),
    crashesInWindow: z.number().int(),
    message: z.string(),
  }),
  'session.restarted': z.object({ sessionId: z.string(), step: z.number().int().nullable() }),
  /** The host closed a session by itself (to make room for a new one). */
  'session.closed': z.object({ sessionId: z.string(), reason: z.string() }),
};
