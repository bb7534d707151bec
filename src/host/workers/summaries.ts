// Engine tensor summaries → the API's summary shape (src/shared/api/tensor.ts).
import { fullTensor, summarize } from '../../engine/runtime/tensorSummary';
import type { Tensor } from '../../engine/tensor/tensor';
import type { FullTensor, TensorSummary } from '../../shared/api/tensor';

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function summaryOf(t: Tensor): TensorSummary {
  return summaryOfData(t.data, t.shape, t.dtype);
}

export function summaryOfData(
  data: ArrayLike<number>,
  shape: readonly number[],
  dtype: 'float32' | 'float64',
): TensorSummary {
  const s = summarize(data, shape);
  return {
    shape: [...s.shape],
    dtype,
    min: s.min,
    max: s.max,
    mean: s.mean,
    std: s.std,
    l2: Number.isFinite(s.l2) ? s.l2 : null,
    nanCount: s.nanCount,
    infCount: s.infCount,
    preview: { shape: [...s.previewShape], values: s.preview.map(finiteOrNull) },
    histogram: { min: s.histogram.lo, max: s.histogram.hi, counts: [...s.histogram.counts] },
  };
}

export function fullOf(t: Tensor): FullTensor {
  return fullOfData(t.data, t.shape, t.dtype);
}

export function fullOfData(
  data: ArrayLike<number>,
  shape: readonly number[],
  dtype: 'float32' | 'float64',
): FullTensor {
  const f = fullTensor(data, shape);
  return { shape: [...f.shape], dtype, values: f.data.map(finiteOrNull) };
}

/** Index of the first NaN or ±Infinity, or -1. */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}
