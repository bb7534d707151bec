import type { DatasetRef } from '../../../engine/graph/schema';

/**
 * The data set as training draws it: a generator seeded with the project's seed unless its own
 * parameters name one (a CSV has none), so the preview shows the very points the model sees.
 */
export function seededDataset(ref: DatasetRef, seed: number): DatasetRef {
  return ref.name === 'csv' || ref.params.seed !== undefined ? ref : { ...ref, params: { ...ref.params, seed } };
}

/** Which data set (and seed) a fetched data info describes: compare with the project's. */
export function dataKey(t: { readonly dataset: DatasetRef; readonly seed: number }): string {
  const ref = seededDataset(t.dataset, t.seed);
  return JSON.stringify([ref.name, ref.params]);
}
