// A project's data set bound to a compiled graph: split, standardised, checked against the Input
// and Target nodes, and cut into batches. Shared by the CLI and the app's session workers.
import { empty } from '../tensor/create';
import { shapeToString } from '../tensor/shape';
import type { DType } from '../tensor/dtype';
import { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';
import type { Dataset } from './dataset';
import { featureSize, targetSize } from './dataset';
import type { Split } from './split';
import { splitIndices } from './split';
import { applyStandardizer, fitStandardizer } from './standardize';
import type { DataMismatch } from '../graph/dataFit';
import { dataFitProblem } from '../graph/dataFit';
import type { PortKind } from '../graph/nodeType';
import type { TrainingSettings } from '../graph/schema';
import type { CompiledNode, GraphModel } from '../runtime/compile';

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

/**
 * Splits a data set into train/dev/test by the split's seed (default: the settings' seed); with
 * `standardize`, features are standardised with the mean and deviation of the training split only
 * (no leak from dev/test); with `shuffleLabels`, the training split's labels are permuted among
 * its samples (dev and test keep their true labels).
 */
export function splitData(dataset: Dataset, settings: TrainingSettings): SplitData {
  const s = settings.split;
  const seed = s.seed ?? settings.seed;
  const split = splitIndices(dataset.n, { dev: s.dev, test: s.test, seed });
  let ds = settings.standardize ? applyStandardizer(dataset, fitStandardizer(dataset, split.train)) : dataset;
  if (settings.shuffleLabels) ds = withShuffledLabels(ds, split.train, seed);
  return { dataset: ds, split };
}

/**
 * What decides the data a run trains on: the data set and every setting splitData reads. Two
 * settings with the same key give the same split data, so a session reloads its data only when
 * the key changes (a setting read by splitData and missing here would leave it on the old data).
 */
export function dataSettingsKey(settings: TrainingSettings): string {
  const { dataset, split, seed, standardize, shuffleLabels } = settings;
  return JSON.stringify([dataset, split, seed, standardize, shuffleLabels]);
}

/** A copy of the data set whose samples at `indices` trade their targets by a seeded permutation. */
function withShuffledLabels(dataset: Dataset, indices: readonly number[], seed: number): Dataset {
  const t = targetSize(dataset);
  const y = dataset.y.slice();
  // NOTE: a generator of its own (seed + 1), so the permutation is not the split's shuffle replayed.
  const perm = new Rng(seed + 1).permutation(indices.length);
  for (let i = 0; i < indices.length; i++)
    y.set(dataset.y.subarray(indices[perm[i]] * t, indices[perm[i]] * t + t), indices[i] * t);
  return { ...dataset, y };
}

/**
 * Checks that a data set fits the graph: one Input taking its features, at most one Target taking
 * its labels in a kind the data can give. Returns null when it fits.
 */
export function dataMismatch(model: GraphModel, dataset: Dataset): DataMismatch | null {
  const node = (n: CompiledNode) => ({ id: n.id, out: n.outputTypes.out });
  return dataFitProblem(model.inputNodes.map(node), model.targetNodes.map(node), dataset);
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
  const slot = (n: CompiledNode): BatchSlot => ({ id: n.id, ...n.outputTypes.out });
  const target = model.targetNodes[0] as CompiledNode | undefined;
  return batchTensors(dataset, idx, slot(model.inputNodes[0]), target && slot(target), model.dtype);
}

/** A data node a batch fills: its id, and its output's shape (batch as −1) and kind. */
export interface BatchSlot {
  readonly id: string;
  readonly shape: readonly number[];
  readonly kind: PortKind;
}

/**
 * {@link batchOf} for code without a compiled graph (the exported programs): the features of the
 * samples `idx` shaped as `input`, their labels as `target` wants them, keyed by the nodes' ids.
 */
export function batchTensors(
  dataset: Dataset,
  idx: ArrayLike<number>,
  input: BatchSlot,
  target: BatchSlot | undefined,
  dtype: DType,
): Record<string, Tensor> {
  const m = idx.length;
  const f = featureSize(dataset);
  const t = targetSize(dataset);
  // NOTE: the batch is written straight into its tensors' (pooled) storage: a fresh array per batch,
  // copied into the tensor, cost an allocation outside V8's heap and a copy for every batch.
  const xt = slotTensor(input, m, m * f, dtype);
  const x = xt.data;
  for (let i = 0; i < m; i++) x.set(dataset.x.subarray(idx[i] * f, idx[i] * f + f), i * f);
  const out: Record<string, Tensor> = { [input.id]: xt };
  if (target) {
    const yt = slotTensor(target, m, m * t, dtype);
    const y = yt.data;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < t; j++) y[i * t + j] = labelValue(target.kind, dataset.y[idx[i] * t + j]);
    out[target.id] = yt;
  }
  return out;
}

/** An uninitialised tensor for a data slot's `m` examples, which must hold `size` values. */
function slotTensor(slot: BatchSlot, m: number, size: number, dtype: DType): Tensor {
  const shape = slot.shape.map((d) => (d === -1 ? m : d));
  const t = empty(shape, dtype);
  if (t.size !== size) {
    t.dispose();
    throw new Error(
      `A batch of ${m} examples has ${size} values, which do not fill ${slot.id}'s shape ${shapeToString(shape)}.`,
    );
  }
  return t;
}
