import type { Dataset } from './dataset';
import { featureSize } from './dataset';

export interface Standardizer {
  mean: number[];
  std: number[];
}

/**
 * Per-feature mean and (population) standard deviation over the samples at `indices`
 * (fit on the training split only). NOTE: a constant feature gets std 1, so it maps to 0
 * instead of dividing by zero.
 *
 * @example
 * const s = fitStandardizer(ds, split.train);
 * const dsStd = applyStandardizer(ds, s);
 */
export function fitStandardizer(ds: Dataset, indices?: readonly number[]): Standardizer {
  const idx = indices ?? Array.from({ length: ds.n }, (_, i) => i);
  if (idx.length === 0) throw new Error('fitStandardizer: no samples to fit on.');
  const f = featureSize(ds);
  const mean = new Array<number>(f).fill(0);
  const sq = new Array<number>(f).fill(0);
  for (const k of idx) for (let j = 0; j < f; j++) mean[j] += ds.x[k * f + j];
  for (let j = 0; j < f; j++) mean[j] /= idx.length;
  for (const k of idx)
    for (let j = 0; j < f; j++) {
      const d = ds.x[k * f + j] - mean[j];
      sq[j] += d * d;
    }
  const std = sq.map((s) => {
    const v = Math.sqrt(s / idx.length);
    return v > 1e-12 ? v : 1;
  });
  return { mean, std };
}

/** A copy of the data set with every feature mapped to (x − mean) / std. */
export function applyStandardizer(ds: Dataset, s: Standardizer): Dataset {
  const f = featureSize(ds);
  if (s.mean.length !== f)
    throw new Error(`applyStandardizer: standardizer has ${s.mean.length} features, data set has ${f}.`);
  const x = new Float64Array(ds.x.length);
  for (let i = 0; i < ds.n; i++) for (let j = 0; j < f; j++) x[i * f + j] = (ds.x[i * f + j] - s.mean[j]) / s.std[j];
  return { ...ds, x };
}
