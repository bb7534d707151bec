// The project's data set inside a session worker: resolved, split, standardised, and turned
// into batches for the graph's Input and Target nodes.
import type { CompiledNode, GraphModel } from '../../engine/graph/runtime/compile';
import type { Project } from '../../engine/graph/schema';
import type { Dataset } from '../../engine/train/dataset';
import { featureSize, targetSize } from '../../engine/train/dataset';
import { splitIndices } from '../../engine/train/split';
import type { Split } from '../../engine/train/split';
import { applyStandardizer, fitStandardizer } from '../../engine/train/standardize';
import { empty } from '../../engine/tensor/create';
import type { Tensor } from '../../engine/tensor/tensor';
import { resolveDataset } from '../data/datasetCatalog';
import { SessionError } from './workerErrors';

export interface ProjectData {
  dataset: Dataset;
  split: Split;
}

export function loadProjectData(project: Project): ProjectData {
  const t = project.training;
  let ds: Dataset;
  try {
    ds = resolveDataset(t.dataset, t.seed);
  } catch (err) {
    throw new SessionError('invalid-request', (err as Error).message);
  }
  const split = splitIndices(ds.n, { dev: t.split.dev, test: t.split.test, seed: t.seed });
  if (t.standardize) ds = applyStandardizer(ds, fitStandardizer(ds, split.train));
  return { dataset: ds, split };
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Checks that the data set fits the graph's Input and Target nodes; a sentence naming the node otherwise. */
export function checkDataFits(model: GraphModel, ds: Dataset): void {
  const inputs = model.inputNodes;
  const targets = model.targetNodes;
  if (inputs.length !== 1)
    throw new SessionError(
      'invalid-request',
      `Training on a data set needs exactly one Input node; the graph has ${inputs.length}.`,
    );
  const inShape = inputs[0].outputTypes.out.shape.slice(1);
  if (sizeOf(inShape) !== featureSize(ds)) {
    throw new SessionError(
      'invalid-request',
      `Input "${inputs[0].id}" has shape ${inShape.join('×')} (${sizeOf(inShape)} values), but the data set "${ds.name}" has ${featureSize(ds)} features per sample (${ds.featureShape.join('×')}).`,
      inputs[0].id,
    );
  }
  if (targets.length > 1)
    throw new SessionError(
      'invalid-request',
      `Training on a data set needs at most one Target node; the graph has ${targets.length}.`,
    );
  const tgt = targets[0];
  if (tgt !== undefined) {
    const shape = tgt.outputTypes.out.shape.slice(1);
    if (sizeOf(shape) !== targetSize(ds)) {
      throw new SessionError(
        'invalid-request',
        `Target "${tgt.id}" has shape ${shape.join('×') || 'a scalar'} per sample, but the data set "${ds.name}" has ${targetSize(ds)} target value(s) per sample.`,
        tgt.id,
      );
    }
    const kind = tgt.outputTypes.out.kind;
    if (ds.task === 'regression' && kind !== 'real-targets')
      throw new SessionError(
        'invalid-request',
        `Target "${tgt.id}" expects ${kind}, but "${ds.name}" is a regression data set: set the Target's labels to real targets.`,
        tgt.id,
      );
    if ((kind === 'binary-labels' || kind === 'pm1-labels') && (ds.numClasses ?? 0) > 2) {
      throw new SessionError(
        'invalid-request',
        `Target "${tgt.id}" expects two classes (${kind}), but "${ds.name}" has ${ds.numClasses} classes.`,
        tgt.id,
      );
    }
  }
}

/** The tensors of a batch of samples, keyed by data-node id, shaped and labelled as those nodes declare. */
export function batchFor(model: GraphModel, ds: Dataset, indices: ArrayLike<number>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  const m = indices.length;
  const input = model.inputNodes[0];
  const f = featureSize(ds);
  const x = empty([m, ...input.outputTypes.out.shape.slice(1)], model.dtype);
  for (let i = 0; i < m; i++) {
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= ds.n)
      throw new SessionError(
        'invalid-request',
        `Sample ${k} does not exist; the data set has ${ds.n} samples (0 to ${ds.n - 1}).`,
      );
    for (let j = 0; j < f; j++) x.data[i * f + j] = ds.x[k * f + j];
  }
  out[input.id] = x;
  const tgt: CompiledNode | undefined = model.targetNodes[0];
  if (tgt !== undefined) {
    const t = targetSize(ds);
    const y = empty([m, ...tgt.outputTypes.out.shape.slice(1)], model.dtype);
    // NOTE: class labels are 0/1 in every data set; losses for ±1 labels need them mapped.
    const pm1 = tgt.outputTypes.out.kind === 'pm1-labels';
    for (let i = 0; i < m; i++) {
      const k = indices[i];
      for (let j = 0; j < t; j++) {
        const v = ds.y[k * t + j];
        y.data[i * t + j] = pm1 ? 2 * v - 1 : v;
      }
    }
    out[tgt.id] = y;
  }
  return out;
}
