import type { Tensor } from '../tensor/tensor';
import { normalizeAxis, shapeToString } from '../tensor/shape';
import { runKernel1 } from '../autograd/runKernel';

/** Integer indices: a plain array, an Int32Array, or a tensor holding integral values. */
export type Indices = readonly number[] | Int32Array | Tensor;

export function toIndexArray(indices: Indices, limit: number, what: string): Int32Array {
  const src: ArrayLike<number> =
    Array.isArray(indices) || indices instanceof Int32Array ? (indices as ArrayLike<number>) : (indices as Tensor).data;
  const n = Array.isArray(indices) || indices instanceof Int32Array ? src.length : (indices as Tensor).size;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (!Number.isInteger(v) || v < 0 || v >= limit) {
      throw new Error(`${what}: index ${v} at position ${i} is out of range [0, ${limit}).`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Selects entries along `axis` by integer indices (torch.index_select); the axis gets length
 * indices.length. The gradient scatter-adds back (repeated indices accumulate).
 *
 * @example
 * gather(embeddingTable, [3, 1, 3], 0);   // rows 3, 1, 3
 */
export function gather(x: Tensor, indices: Indices, axis = 0): Tensor {
  const a = normalizeAxis(axis, x.rank);
  const idx = toIndexArray(indices, x.shape[a], 'gather');
  return runKernel1('Gather', [x], { axis: a, indices: idx });
}

/**
 * out[..., k, ...] = x[..., indices[..., k, ...], ...] along `axis` (torch.gather): `indices`
 * has x's shape except along `axis`.
 *
 * @example
 * takeAlongAxis(logProbs, targets.map((t) => [t]), 1);   // [N, 1] picked log-probabilities
 */
export function takeAlongAxis(
  x: Tensor,
  indices: Tensor | readonly (readonly number[])[],
  axis: number,
  indicesShape?: readonly number[],
): Tensor {
  const a = normalizeAxis(axis, x.rank);
  let shape: readonly number[];
  let flat: readonly number[] | Tensor;
  if (Array.isArray(indices)) {
    flat = (indices as readonly (readonly number[])[]).flat();
    shape = indicesShape ?? [indices.length, (indices as readonly (readonly number[])[])[0]?.length ?? 0];
  } else {
    flat = indices as Tensor;
    shape = (indices as Tensor).shape;
  }
  if (shape.length !== x.rank || shape.some((d, i) => i !== a && d !== x.shape[i])) {
    throw new Error(
      `takeAlongAxis: indices shape ${shapeToString(shape)} must match ${shapeToString(x.shape)} except along axis ${a}.`,
    );
  }
  const idx = toIndexArray(flat, x.shape[a], 'takeAlongAxis');
  return runKernel1('TakeAlongAxis', [x], { axis: a, indices: idx, indicesShape: [...shape] });
}

/**
 * takeAlongAxis(x, column, 1) for [N, C] scores and N class indices already checked to lie in
 * [0, C) (the class losses' targets): the [N, 1] picked scores, without making the indices a
 * float column and checking them again. The kernel call and its gradient are takeAlongAxis's.
 */
export function takeClasses(x: Tensor, idx: Int32Array): Tensor {
  return runKernel1('TakeAlongAxis', [x], { axis: 1, indices: idx, indicesShape: [idx.length, 1] });
}

/**
 * −x[i, idx[i]] of [N, C] log-probabilities (N ≥ 1, every index checked) averaged ('mean') or
 * added up ('sum') by one NllLoss kernel call, with the bits of takeClasses, reshape, neg, sum
 * and the mean's multiply by 1/N.
 */
export function nllOfClasses(x: Tensor, idx: Int32Array, reduction: 'mean' | 'sum'): Tensor {
  return runKernel1('NllLoss', [x], { indices: idx, reduction });
}
