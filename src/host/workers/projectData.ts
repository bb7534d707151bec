// The project's data set inside a session worker: resolved by the engine's catalog (the files
// read by data/datasetFiles.ts), then split, standardised, checked and batched by the engine
// (runtime/trainingData.ts), as the CLI does.
import type { GraphModel } from '../../engine/runtime/compile';
import type { SplitData } from '../../engine/train/trainingData';
import { batchOf, dataMismatch, splitData } from '../../engine/train/trainingData';
import type { Project } from '../../engine/graph/schema';
import type { Dataset } from '../../engine/train/dataset';
import type { Tensor } from '../../engine/tensor/tensor';
import { resolveDataset } from '../../engine/train/datasets';
import { nodeDatasetFiles } from '../data/datasetFiles';
import { SessionError } from './workerErrors';

export type ProjectData = SplitData;

export function loadProjectData(project: Project): ProjectData {
  const t = project.training;
  let ds: Dataset;
  try {
    ds = resolveDataset(t.dataset, t.seed, nodeDatasetFiles());
  } catch (err) {
    throw new SessionError('invalid-request', (err as Error).message);
  }
  return splitData(ds, t);
}

/** The engine's sentence as the API's: capitalised, with a full stop. */
export function asSentence(message: string): string {
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'}`;
}

/** Checks that the data set fits the graph's Input and Target nodes; a sentence naming the node otherwise. */
export function checkDataFits(model: GraphModel, ds: Dataset): void {
  const bad = dataMismatch(model, ds);
  if (bad !== null) throw new SessionError('invalid-request', asSentence(bad.message), bad.nodeId);
}

/** The tensors of a batch of samples, keyed by data-node id, shaped and labelled as those nodes declare. */
export function batchFor(model: GraphModel, ds: Dataset, indices: ArrayLike<number>): Record<string, Tensor> {
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= ds.n)
      throw new SessionError(
        'invalid-request',
        `Sample ${k} does not exist; the data set has ${ds.n} samples (0 to ${ds.n - 1}).`,
      );
  }
  return batchOf(model, ds, indices);
}
