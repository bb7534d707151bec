// A project's data set bound to a compiled graph: split, standardised, checked against the Input
// and Target nodes, and cut into batches. Shared by the CLI and the app's session workers.
import { fromTypedArray } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import type { Dataset } from '../../train/dataset';
import { featureSize, targetSize } from '../../train/dataset';
import type { Split } from '../../train/split';
import { splitIndices } from '../../train/split';
import { applyStandardizer, fitStandardizer } from '../../train/standardize';
import type { PortKind } from '../nodeType';
import { PORT_KIND_LABELS } from '../nodeType';
import type { TrainingSettings } from '../schema';
import { formatShape } from '../shape';
import type { CompiledNode, GraphModel } from './compile';

/** A data set split by the settings' seed (and standardised on its training split when asked). */
export interface SplitData {
  readonly dataset: Dataset;
  readonly split: Split;
}

/** A split data set bound to a graph: which node takes the features, which the labels, which loss scores them. */
export interface TrainingData extends SplitData {
  readonly input: CompiledNode;
  readonly target: CompiledNode;
  readonly loss: CompiledNode;
}

/** A reason the data do not fit the graph, naming the node at fault. */
export interface DataMismatch {
  readonly message: string;
  readonly nodeId?: string;
}

/**
 * Splits a data set into train/dev/test by the settings' seed; with `standardize`, features are
 * standardised with the mean and deviation of the training split only (no leak from dev/test).
 */
export function splitData(dataset: Dataset, settings: TrainingSettings): SplitData {
  const s = settings.split;
  const split = splitIndices(dataset.n, { dev: s.dev, test: s.test, seed: settings.seed });
  return {
    dataset: settings.standardize ? applyStandardizer(dataset, fitStandardizer(dataset, split.train)) : dataset,
    split,
  };
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Checks that a data set fits the graph: one Input taking its features, at most one Target taking
 * its labels in a kind the data can give. Returns null when it fits.
 */
export function dataMismatch(model: GraphModel, dataset: Dataset): DataMismatch | null {
  const [input, ...moreInputs] = model.inputNodes;
  if (!input || moreInputs.length > 0)
    return { message: `training needs exactly one Input node, but the graph has ${model.inputNodes.length}` };
  const xShape = input.outputTypes.out.shape.slice(1);
  if (sizeOf(xShape) !== featureSize(dataset))
    return {
      nodeId: input.id,
      message: `Input "${input.id}" takes ${formatShape(xShape)} = ${sizeOf(xShape)} features, but the data set "${dataset.name}" has ${featureSize(dataset)} (${formatShape(dataset.featureShape)})`,
    };
  if (model.targetNodes.length > 1)
    return { message: `training needs at most one Target node, but the graph has ${model.targetNodes.length}` };
  const target = model.targetNodes[0];
  if (!target) return null;
  const yType = target.outputTypes.out;
  if (sizeOf(yType.shape.slice(1)) !== targetSize(dataset))
    return {
      nodeId: target.id,
      message: `Target "${target.id}" takes ${formatShape(yType.shape)} per batch, but the data set "${dataset.name}" has ${targetSize(dataset)} target value(s) per sample`,
    };
  const kind = yType.kind;
  if (dataset.task === 'regression' && kind !== 'real-targets')
    return {
      nodeId: target.id,
      message: `the data set "${dataset.name}" is a regression set, but Target "${target.id}" expects ${PORT_KIND_LABELS[kind]}`,
    };
  if (
    dataset.task === 'classification' &&
    (kind === 'pm1-labels' || kind === 'binary-labels') &&
    (dataset.numClasses ?? 0) > 2
  )
    return {
      nodeId: target.id,
      message: `the data set "${dataset.name}" has ${dataset.numClasses} classes, but Target "${target.id}" expects binary labels`,
    };
  return null;
}

/** Binds split data to a graph that can train on it; a sentence when it cannot. */
export function bindTraining(model: GraphModel, data: SplitData): TrainingData | string {
  const bad = dataMismatch(model, data.dataset);
  if (bad) return bad.message;
  const target = model.targetNodes[0];
  const loss = model.lossNodes[0];
  if (!target) return 'training needs exactly one Target node, but the graph has 0';
  if (!loss) return 'training needs a loss node';
  return { ...data, input: model.inputNodes[0], target, loss };
}

/**
 * Checks that a data set fits the graph, splits it and binds it. Returns a sentence when it does not fit.
 *
 * @example
 * const data = prepareTraining(model, resolveDataset(p.training.dataset, p.training.seed), p.training);
 * if (typeof data === 'string') throw new Error(data);
 */
export function prepareTraining(
  model: GraphModel,
  dataset: Dataset,
  settings: TrainingSettings,
): TrainingData | string {
  const bad = dataMismatch(model, dataset);
  return bad ? bad.message : bindTraining(model, splitData(dataset, settings));
}

/** A label as the Target's kind wants it: class k stays k; ±1 labels map 0 → −1. */
function labelValue(kind: PortKind, y: number): number {
  return kind === 'pm1-labels' ? (y > 0 ? 1 : -1) : y;
}

/**
 * The tensors of some samples, keyed by the Input's (and the Target's, if any) node id, shaped as
 * those nodes declare. The indices must be valid sample numbers of the data set.
 */
export function batchOf(model: GraphModel, dataset: Dataset, idx: ArrayLike<number>): Record<string, Tensor> {
  const input = model.inputNodes[0];
  const target = model.targetNodes[0] as CompiledNode | undefined;
  const m = idx.length;
  const f = featureSize(dataset);
  const t = targetSize(dataset);
  const Arr = model.dtype === 'float32' ? Float32Array : Float64Array;
  const concrete = (shape: readonly number[]) => shape.map((d) => (d === -1 ? m : d));
  const x = new Arr(m * f);
  for (let i = 0; i < m; i++) x.set(dataset.x.subarray(idx[i] * f, idx[i] * f + f), i * f);
  const out: Record<string, Tensor> = { [input.id]: fromTypedArray(x, concrete(input.outputTypes.out.shape)) };
  if (target) {
    const y = new Arr(m * t);
    const kind = target.outputTypes.out.kind;
    for (let i = 0; i < m; i++) for (let j = 0; j < t; j++) y[i * t + j] = labelValue(kind, dataset.y[idx[i] * t + j]);
    out[target.id] = fromTypedArray(y, concrete(target.outputTypes.out.shape));
  }
  return out;
}
