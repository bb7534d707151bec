import type { DatasetRef } from '../../../engine/graph/schema';
import { host } from '../api/connection';
import { appStore, getState, setTraining } from '../state/store';
import { seededDataset } from './dataKey';
import type { CatalogEntry } from './trainingTypes';

/**
 * The chosen data set as the host loads it (shapes, task, classes, the first rows), fetched
 * whenever the project names another set or other parameters. The editor checks the graph
 * against it, and the Training tab previews it.
 */

// Enough for every point of the course's 2-D sets on the decision boundary (they list samples by class).
const PREVIEW_ROWS = 2000;
const current = (): DatasetRef => seededDataset(getState().doc.training.dataset, getState().doc.training.seed);
const keyOf = (ref: DatasetRef): string => JSON.stringify([ref.name, ref.params]);
let asked: string | null = null;

export async function refreshDataInfo(force = false): Promise<void> {
  const ref = current();
  const key = keyOf(ref);
  if (!force && (asked === key || getState().host.status !== 'connected')) return;
  asked = key;
  try {
    const preview = await host().invoke('datasets.preview', { name: ref.name, params: ref.params, rows: PREVIEW_ROWS });
    if (asked !== key) return;
    setTraining({
      data: {
        key,
        preview,
        error: null,
        description: {
          name: preview.name,
          task: preview.task,
          featureShape: preview.featureShape,
          targetShape: preview.targetShape,
          numClasses: preview.numClasses,
        },
      },
    });
  } catch (err) {
    if (asked !== key) return;
    setTraining({
      data: { key, preview: null, description: null, error: err instanceof Error ? err.message : String(err) },
    });
  }
}

/** Whether the data info describes the project's current data set. */
export function dataInfoCurrent(): boolean {
  return getState().training.data?.key === keyOf(current());
}

let catalog: Promise<readonly CatalogEntry[]> | null = null;

/** The engine's catalog of data sets (names, titles, each generator's parameters and choices), asked once. */
export function datasetCatalog(): Promise<readonly CatalogEntry[]> {
  catalog ??= host()
    .invoke('datasets.list', {})
    .then((r) => r.datasets)
    .catch((err: unknown) => {
      catalog = null;
      throw err;
    });
  return catalog;
}

appStore.subscribe((s, prev) => {
  if (
    s.doc.training.dataset !== prev.doc.training.dataset ||
    s.doc.training.seed !== prev.doc.training.seed ||
    (s.host.status === 'connected' && prev.host.status !== 'connected')
  )
    void refreshDataInfo(s.host.status === 'connected' && prev.host.status !== 'connected');
});
