/**
 * What crosses a process boundary for a tensor: statistics, a downsampled preview and a
 * histogram — never the whole tensor unless the inspector asks for it.
 */
export interface TensorSummary {
  readonly shape: readonly number[];
  /** Over finite values only; null when there is none. */
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /** Population standard deviation of the finite values. */
  readonly std: number | null;
  /** Euclidean norm of the finite values. */
  readonly l2: number;
  readonly nanCount: number;
  readonly infCount: number;
  /** At most {@link PREVIEW_LIMIT} values, row-major, sampled on a regular grid of the tensor. */
  readonly preview: readonly number[];
  /** The shape of `preview`; each dimension is the original one taken every `previewStride[d]` elements. */
  readonly previewShape: readonly number[];
  readonly previewStride: readonly number[];
  /** {@link HISTOGRAM_BINS} equal bins between `lo` and `hi` over the finite values. */
  readonly histogram: { readonly lo: number; readonly hi: number; readonly counts: readonly number[] };
}

/** A whole tensor, for the inspector. */
export interface FullTensor {
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

export const PREVIEW_LIMIT = 4096;
export const HISTOGRAM_BINS = 32;

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

/**
 * Statistics, preview and histogram of row-major values.
 *
 * @example
 * summarize(new Float32Array([1, -1, 3, NaN]), [2, 2]); // { min: -1, max: 3, nanCount: 1, … }
 */
export function summarize(data: ArrayLike<number>, shape: readonly number[]): TensorSummary {
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
  const { pshape, stride } = previewGrid(shape, PREVIEW_LIMIT);
  const preview: number[] = [];
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const idx = pshape.map(() => 0);
  const pn = pshape.reduce((a, b) => a * b, 1);
  for (let k = 0; k < pn && n > 0; k++) {
    let off = 0;
    for (let d = 0; d < shape.length; d++) off += idx[d] * stride[d] * strides[d];
    preview.push(data[off]);
    for (let d = pshape.length - 1; d >= 0; d--) {
      if (++idx[d] < pshape[d]) break;
      idx[d] = 0;
    }
  }
  return {
    shape: [...shape],
    min: finite > 0 ? min : null,
    max: finite > 0 ? max : null,
    mean,
    std: mean !== null ? Math.sqrt(varSum / finite) : null,
    l2: Math.sqrt(sumSq),
    nanCount,
    infCount,
    preview,
    previewShape: pshape,
    previewStride: stride,
    histogram: { lo, hi, counts },
  };
}

/** Every value, as plain numbers (NaN and ±Infinity kept; JSON writers must encode them). */
export function fullTensor(data: ArrayLike<number>, shape: readonly number[]): FullTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape: [...shape], data: Array.from({ length: n }, (_, i) => data[i]) };
}
