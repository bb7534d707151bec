// Tensor summaries in the wire shape of the API contract (src/shared/api/tensor.ts): the step
// session's worker sends them as they are. NaN and ±Infinity travel as null plus their counts.
import type { FullTensor, TensorSummary } from '../../shared/api/tensor';
import { HISTOGRAM_BINS, MAX_PREVIEW_VALUES } from '../../shared/api/tensor';
import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';

export type { FullTensor, TensorSummary };

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Strides that sample the largest dimensions until at most `limit` values remain. */
function previewGrid(shape: readonly number[], limit: number): { pshape: number[]; stride: number[] } {
  const stride = shape.map(() => 1);
  const pshape = [...shape];
  const total = (): number => pshape.reduce((a, b) => a * b, 1);
  while (total() > limit) {
    let d = 0;
    for (let i = 1; i < pshape.length; i++) if (pshape[i] > pshape[d]) d = i;
    stride[d] *= 2;
    pshape[d] = Math.ceil(shape[d] / stride[d]);
  }
  return { pshape, stride };
}

/** Statistics, preview and histogram of a tensor (a preview of at most `maxPreview` values). */
export function summarizeTensor(t: Tensor, maxPreview = MAX_PREVIEW_VALUES): TensorSummary {
  return summarize(t.data, t.shape, t.dtype, maxPreview);
}

/**
 * Statistics, preview and histogram of row-major values. The preview keeps the tensor's rank:
 * at most `maxPreview` (and {@link MAX_PREVIEW_VALUES}) values sampled on a regular grid (the largest dimensions
 * first, every 2nd, 4th, … element).
 *
 * @example
 * summarize(new Float32Array([1, -1, 3, NaN]), [2, 2], 'float32'); // { min: -1, max: 3, nanCount: 1, … }
 */
export function summarize(
  data: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  maxPreview = MAX_PREVIEW_VALUES,
): TensorSummary {
  const n = shape.reduce((a, b) => a * b, 1);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSq = 0;
  let finite = 0;
  let nanCount = 0;
  let infCount = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (Number.isNaN(v)) nanCount++;
    else if (!Number.isFinite(v)) infCount++;
    else {
      finite++;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      sumSq += v * v;
    }
  }
  const mean = finite > 0 ? sum / finite : null;
  // NOTE: a two-pass variance: E[x²] − E[x]² cancels catastrophically for large means.
  let varSum = 0;
  if (mean !== null) {
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (Number.isFinite(v)) varSum += (v - mean) * (v - mean);
    }
  }
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const lo = finite > 0 ? min : 0;
  const hi = finite > 0 ? max : 0;
  const width = (hi - lo) / HISTOGRAM_BINS;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    const b = width > 0 ? Math.min(HISTOGRAM_BINS - 1, Math.floor((v - lo) / width)) : 0;
    counts[b]++;
  }
  const { pshape, stride } = previewGrid(shape, Math.min(maxPreview, MAX_PREVIEW_VALUES));
  const preview: (number | null)[] = [];
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const idx = pshape.map(() => 0);
  const pn = pshape.reduce((a, b) => a * b, 1);
  for (let k = 0; k < pn && n > 0; k++) {
    let off = 0;
    for (let d = 0; d < shape.length; d++) off += idx[d] * stride[d] * strides[d];
    preview.push(finiteOrNull(data[off]));
    for (let d = pshape.length - 1; d >= 0; d--) {
      if (++idx[d] < pshape[d]) break;
      idx[d] = 0;
    }
  }
  return {
    shape: [...shape],
    dtype,
    min: finite > 0 ? min : null,
    max: finite > 0 ? max : null,
    mean,
    std: mean !== null ? Math.sqrt(varSum / finite) : null,
    l2: finiteOrNull(Math.sqrt(sumSq)),
    nanCount,
    infCount,
    preview: { shape: pshape, values: preview },
    histogram: { min: lo, max: hi, counts },
  };
}

/** Every value of a tensor, for the tensor inspector. */
export function fullTensor(data: ArrayLike<number>, shape: readonly number[], dtype: DType): FullTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape: [...shape], dtype, values: Array.from({ length: n }, (_, i) => finiteOrNull(data[i])) };
}

export function fullTensorOf(t: Tensor): FullTensor {
  return fullTensor(t.data, t.shape, t.dtype);
}
