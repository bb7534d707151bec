import { backward } from '../../autograd/backward';
import { noGrad } from '../../autograd/gradMode';
import { Adam, AdamW } from '../../optim/adam';
import type { Optimizer } from '../../optim/optimizer';
import { SGD } from '../../optim/sgd';
import { fromTypedArray } from '../../tensor/create';
import { tidy } from '../../tensor/scope';
import type { Tensor } from '../../tensor/tensor';
import type { Dataset } from '../../train/dataset';
import { featureSize, targetSize } from '../../train/dataset';
import { applyStandardizer, fitStandardizer } from '../../train/standardize';
import { Rng } from '../../tensor/rng';
import type { Split } from '../../train/split';
import { splitIndices } from '../../train/split';
import type { PortKind } from '../nodeType';
import { PORT_KIND_LABELS } from '../nodeType';
import { formatShape } from '../shape';
import type { OptimizerSettings, TrainingSettings } from '../schema';
import type { CompiledNode, GraphModel, NodeValues } from './compile';
import { totalLoss } from './compile';
import { argmaxAlong } from './layerHelpers';

export interface SplitMetrics {
  /** Mean loss per sample. */
  readonly loss: number;
  /** Fraction correct; null for regression. */
  readonly accuracy: number | null;
  readonly n: number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly train: SplitMetrics;
  readonly dev: SplitMetrics | null;
  readonly seconds: number;
}

export interface TrainSummary {
  readonly epochs: number;
  readonly stoppedEarly: boolean;
  readonly train: SplitMetrics;
  readonly dev: SplitMetrics | null;
  readonly test: SplitMetrics | null;
  readonly seconds: number;
  /** Set when training stopped because of NaN or Inf, naming the node where it appeared. */
  readonly error?: string;
}

/** The optimizer a project's settings describe, over the model's parameters. */
export function createOptimizer(s: OptimizerSettings, params: readonly Tensor[]): Optimizer {
  if (s.type === 'sgd') return new SGD(params, { lr: s.lr, momentum: s.momentum, nesterov: s.nesterov, weightDecay: s.weightDecay });
  const opts = { lr: s.lr, betas: [s.beta1, s.beta2] as [number, number], eps: s.eps, weightDecay: s.weightDecay };
  return s.type === 'adam' ? new Adam(params, opts) : new AdamW(params, opts);
}

/** A data set bound to a graph: which node takes the features, which the labels, and how. */
export interface TrainingData {
  readonly dataset: Dataset;
  readonly split: Split;
  readonly input: CompiledNode;
  readonly target: CompiledNode;
  readonly loss: CompiledNode;
}

/**
 * Checks that a data set fits the graph (one Input taking its features, one Target taking its
 * labels in the kind the graph expects) and splits it. Returns a sentence when it does not fit.
 */
export function prepareTraining(model: GraphModel, dataset: Dataset, settings: TrainingSettings): TrainingData | string {
  const [input, ...moreInputs] = model.inputNodes;
  const [target, ...moreTargets] = model.targetNodes;
  const loss = model.lossNodes[0];
  if (!input || moreInputs.length > 0) return `training needs exactly one Input node, but the graph has ${model.inputNodes.length}`;
  if (!target || moreTargets.length > 0) return `training needs exactly one Target node, but the graph has ${model.targetNodes.length}`;
  if (!loss) return 'training needs a loss node';
  const xShape = input.outputTypes.out.shape.slice(1);
  const xSize = xShape.reduce((a, b) => a * b, 1);
  if (xSize !== featureSize(dataset)) return `Input "${input.id}" takes ${formatShape(xShape)} = ${xSize} features, but the data set "${dataset.name}" has ${featureSize(dataset)} (${formatShape(dataset.featureShape)})`;
  const yType = target.outputTypes.out;
  const ySize = yType.shape.slice(1).reduce((a, b) => a * b, 1);
  if (ySize !== targetSize(dataset)) return `Target "${target.id}" takes ${formatShape(yType.shape)} per batch, but the data set "${dataset.name}" has ${targetSize(dataset)} target value(s) per sample`;
  const kind = yType.kind;
  if (dataset.task === 'regression' && kind !== 'real-targets') return `the data set "${dataset.name}" is a regression set, but Target "${target.id}" expects ${PORT_KIND_LABELS[kind]}`;
  if (dataset.task === 'classification' && (kind === 'pm1-labels' || kind === 'binary-labels') && (dataset.numClasses ?? 0) > 2) return `the data set "${dataset.name}" has ${dataset.numClasses} classes, but Target "${target.id}" expects binary labels`;
  const s = settings.split;
  const split = splitIndices(dataset.n, { dev: s.dev, test: s.test, seed: settings.seed });
  let ds = dataset;
  if (settings.standardize) ds = applyStandardizer(dataset, fitStandardizer(dataset, split.train));
  return { dataset: ds, split, input, target, loss };
}

/** Labels as the Target's kind wants them: class k stays k; ±1 labels map 0 → −1. */
function labelValue(kind: PortKind, y: number): number {
  return kind === 'pm1-labels' ? (y > 0 ? 1 : -1) : y;
}

function batchOf(model: GraphModel, data: TrainingData, idx: readonly number[]): Record<string, Tensor> {
  const f = featureSize(data.dataset);
  const t = targetSize(data.dataset);
  const x = new (model.dtype === 'float32' ? Float32Array : Float64Array)(idx.length * f);
  const y = new (model.dtype === 'float32' ? Float32Array : Float64Array)(idx.length * t);
  const kind = data.target.outputTypes.out.kind;
  idx.forEach((k, i) => {
    x.set(data.dataset.x.subarray(k * f, k * f + f), i * f);
    for (let j = 0; j < t; j++) y[i * t + j] = labelValue(kind, data.dataset.y[k * t + j]);
  });
  const concrete = (shape: readonly number[]) => shape.map((d) => (d === -1 ? idx.length : d));
  return {
    [data.input.id]: fromTypedArray(x, concrete(data.input.outputTypes.out.shape)),
    [data.target.id]: fromTypedArray(y, concrete(data.target.outputTypes.out.shape)),
  };
}

/** Predicted labels from the loss's scores, in the same encoding as the targets; null for regression. */
function predictions(data: TrainingData, values: NodeValues): { pred: ArrayLike<number>; truth: ArrayLike<number> } | null {
  const edge = data.loss.inputEdges.input;
  const scores = values.get(edge.source)?.[edge.sourcePort];
  const truth = values.get(data.target.id)?.out;
  if (!scores || !truth) return null;
  const kind = data.target.outputTypes.out.kind;
  const logits = ['BCEWithLogitsLoss', 'HingeLoss01', 'LogisticLoss', 'HingeLoss', 'PerceptronLoss'].includes(data.loss.def.type);
  const s = scores.data;
  if (kind === 'class-labels') return { pred: argmaxAlong(scores, -1).data, truth: truth.data };
  // NOTE: a score of exactly 0 counts as the positive class, as the Sign and Threshold nodes do.
  if (kind === 'pm1-labels') return { pred: Array.from(s, (v) => (v >= 0 ? 1 : -1)), truth: truth.data };
  if (kind === 'binary-labels') return { pred: Array.from(s, (v) => (v >= (logits ? 0 : 0.5) ? 1 : 0)), truth: truth.data };
  return null;
}

/** Loss and accuracy over some samples, in evaluation mode, in chunks. */
export function evaluate(model: GraphModel, data: TrainingData, idx: readonly number[], chunk = 1024): SplitMetrics | null {
  if (idx.length === 0) return null;
  const wasTraining = model.training;
  model.eval();
  let lossSum = 0;
  let correct = 0;
  let counted = 0;
  let classify = true;
  const mean = data.loss.params.reduction !== 'sum';
  try {
    for (let s = 0; s < idx.length; s += chunk) {
      const part = idx.slice(s, s + chunk);
      tidy(() =>
        noGrad(() => {
          const { values, loss } = model.forward(batchOf(model, data, part));
          lossSum += loss!.item() * (mean ? part.length : 1);
          const p = predictions(data, values);
          if (!p) classify = false;
          else {
            for (let i = 0; i < p.pred.length; i++) if (p.pred[i] === p.truth[i]) correct++;
            counted += p.pred.length;
          }
        }),
      );
    }
  } finally {
    model.train(wasTraining);
  }
  return { loss: lossSum / idx.length, accuracy: classify && counted > 0 ? correct / counted : null, n: idx.length };
}

/** The first node (in evaluation order) whose output holds NaN or Inf, for the error message. */
function firstNonFinite(model: GraphModel, values: NodeValues): string | undefined {
  for (const n of model.nodes) {
    for (const [port, t] of Object.entries(values.get(n.id) ?? {})) {
      if (t.data.some((v) => !Number.isFinite(v))) return `${n.def.title} "${n.id}"${port === 'out' ? '' : ` (${port})`}`;
    }
  }
  return undefined;
}

/**
 * Trains a compiled graph: mini-batches from the training split, the project's optimizer, one
 * report per epoch (loss and accuracy on train and dev), early stopping on the dev loss, and a
 * stop naming the node where NaN or Inf first appeared. Returns the final metrics.
 *
 * @example
 * const gen = trainGraph(model, data, settings);
 * for (let r = gen.next(); !r.done; r = gen.next()) console.log(r.value.train.loss);
 */
export function* trainGraph(model: GraphModel, data: TrainingData, settings: TrainingSettings, opts: { epochs?: number } = {}): Generator<EpochReport, TrainSummary> {
  const epochs = opts.epochs ?? settings.epochs;
  const optimizer = createOptimizer(settings.optimizer, model.parameters());
  // The order the engine's DataLoader (and so the app) uses: one generator seeded with the seed.
  const shuffle = new Rng(settings.seed);
  const started = Date.now();
  let best = Infinity;
  let sinceBest = 0;
  let stoppedEarly = false;
  let error: string | undefined;
  let done = 0;
  for (let epoch = 1; epoch <= epochs && !error; epoch++) {
    const t0 = Date.now();
    const order = [...data.split.train];
    shuffle.shuffle(order);
    model.train();
    for (let s = 0; s < order.length && !error; s += settings.batchSize) {
      const part = order.slice(s, s + settings.batchSize);
      tidy(() => {
        optimizer.zeroGrad();
        const { values } = model.forward(batchOf(model, data, part));
        const loss = totalLoss(model, values)!;
        if (!Number.isFinite(loss.item())) {
          error = `training stopped at epoch ${epoch}: the loss became ${loss.item()}; the first NaN or Inf appeared in ${firstNonFinite(model, values) ?? 'the loss'}`;
          return;
        }
        backward(loss);
        optimizer.step();
      });
    }
    if (error) break;
    done = epoch;
    const train = evaluate(model, data, data.split.train)!;
    const dev = evaluate(model, data, data.split.dev);
    yield { epoch, train, dev, seconds: (Date.now() - t0) / 1000 };
    if (settings.earlyStopping.enabled && dev) {
      if (dev.loss < best - 1e-12) {
        best = dev.loss;
        sinceBest = 0;
      } else if (++sinceBest >= settings.earlyStopping.patience) {
        stoppedEarly = true;
        break;
      }
    }
  }
  return {
    epochs: done,
    stoppedEarly,
    train: evaluate(model, data, data.split.train)!,
    dev: evaluate(model, data, data.split.dev),
    test: evaluate(model, data, data.split.test),
    seconds: (Date.now() - started) / 1000,
    ...(error ? { error } : {}),
  };
}
