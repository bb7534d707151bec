// Tensor summaries in the wire shape of the API contract (src/shared/api/tensor.ts): the step
// session's worker sends them as they are. NaN and ±Infinity travel as null plus their counts.
import type { FullTensor, TensorSummary } from '../../shared/api/tensor';
import { HISTOGRAM_BINS, MAX_PREVIEW_VALUES } from '../../shared/api/tensor';
import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';

export type { FullTensor, TensorSummary };

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

function product(dims: readonly number[]): number {
  let p = 1;
  for (let d = 0; d < dims.length; d++) p *= dims[d];
  return p;
}

/** Strides that sample the largest dimensions until at most `limit` values remain. */
function previewGrid(shape: readonly number[], limit: number): { pshape: number[]; stride: number[] } {
  // NOTE: built element by element from `| 0` so both arrays always hold small integers: arrays of
  // another elements kind (a `Math.ceil` result stored as a double) reached the preview loop with
  // another map and deoptimised it, and V8 compiled `summarize` again.
  const stride: number[] = [];
  const pshape: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    stride.push(1);
    pshape.push(shape[d] | 0);
  }
  while (product(pshape) > limit) {
    let d = 0;
    for (let i = 1; i < pshape.length; i++) if (pshape[i] > pshape[d]) d = i;
    stride[d] *= 2;
    pshape[d] = Math.ceil(shape[d] / stride[d]) | 0;
  }
  return { pshape, stride };
}

/**
 * The first pass's sums over `data[0..n)`, kept between calls: [min, max, sum, sum of squares,
 * finite count, NaN count, Inf count]. One typed array, so the loop's results have one
 * representation whatever the values (an object's fields changed representation and deoptimised).
 */
const moments = new Float64Array(7);

function firstPass(data: ArrayLike<number>, n: number): void {
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
  moments[0] = min;
  moments[1] = max;
  moments[2] = sum;
  moments[3] = sumSq;
  moments[4] = finite;
  moments[5] = nanCount;
  moments[6] = infCount;
}

/** Σ (v − mean)² over the finite values: a two-pass variance (E[x²] − E[x]² cancels for large means). */
function squaredDeviations(data: ArrayLike<number>, n: number, mean: number): number {
  let varSum = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (Number.isFinite(v)) varSum += (v - mean) * (v - mean);
  }
  return varSum;
}

/** Counts of the finite values in {@link HISTOGRAM_BINS} equal bins over [lo, hi]. */
function histogramCounts(data: ArrayLike<number>, n: number, lo: number, hi: number): number[] {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const width = (hi - lo) / HISTOGRAM_BINS;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    const b = width > 0 ? Math.min(HISTOGRAM_BINS - 1, Math.floor((v - lo) / width)) : 0;
    counts[b]++;
  }
  return counts;
}

/** The values on the preview grid, row-major; NaN and ±Infinity as null. */
function previewValues(
  data: ArrayLike<number>,
  shape: readonly number[],
  pshape: readonly number[],
  stride: readonly number[],
): (number | null)[] {
  const rank = shape.length;
  const pn = product(pshape);
  // NOTE: filled with null first, so the array has one elements kind whatever the values (an
  // array grown by push changed kind with them: integers, doubles, null).
  const preview = new Array<number | null>(pn).fill(null);
  const step: number[] = [];
  const idx: number[] = [];
  for (let d = 0; d < rank; d++) {
    step.push(stride[d] * product(shape.slice(d + 1)));
    idx.push(0);
  }
  for (let k = 0; k < pn; k++) {
    let off = 0;
    for (let d = 0; d < rank; d++) off += idx[d] * step[d];
    preview[k] = finiteOrNull(data[off]);
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < pshape[d]) break;
      idx[d] = 0;
    }
  }
  return preview;
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
 * Each pass is its own small function: the training loop summarises a few edges a second, and V8
 * compiled this function, then one body with every loop, again after each change of its inputs'
 * maps (about 30 ms of compiler time each, four times in a 100-epoch run of the digits MLP).
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
  const n = product(shape);
  firstPass(data, n);
  const finite = moments[4];
  const min = moments[0];
  const max = moments[1];
  const mean = finite > 0 ? moments[2] / finite : null;
  const varSum = mean !== null ? squaredDeviations(data, n, mean) : 0;
  const lo = finite > 0 ? min : 0;
  const hi = finite > 0 ? max : 0;
  const counts = histogramCounts(data, n, lo, hi);
  // The preview's code sees the dimensions as an array of small integers whatever array the
  // caller's shape is (one of doubles reached it with another map and deoptimised it).
  const dims: number[] = [];
  for (let d = 0; d < shape.length; d++) dims.push(shape[d] | 0);
  const { pshape, stride } = previewGrid(dims, Math.min(maxPreview, MAX_PREVIEW_VALUES));
  const preview = n > 0 ? previewValues(data, dims, pshape, stride) : [];
  return {
    shape: [...shape],
    dtype,
    min: finite > 0 ? min : null,
    max: finite > 0 ? max : null,
    mean,
    std: mean !== null ? Math.sqrt(varSum / finite) : null,
    l2: finiteOrNull(Math.sqrt(moments[3])),
    nanCount: moments[5],
    infCount: moments[6],
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
