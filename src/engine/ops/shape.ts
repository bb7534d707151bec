import type { Tensor } from '../tensor/tensor';
import type { Shape } from '../tensor/shape';
import { normalizeAxis, shapeToString, sizeOf } from '../tensor/shape';
import { runKernel, runKernel1 } from '../autograd/runKernel';

/**
 * Same data, new shape (a view; one dimension may be −1).
 *
 * @example
 * reshape(arange(6), [2, -1]);   // [2, 3]
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const s = [...shape];
  const neg = s.filter((d) => d === -1).length;
  if (neg > 1) throw new Error(`reshape: at most one dimension may be -1, got ${shapeToString(shape)}.`);
  if (neg === 1) {
    const known = s.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (known === 0 || x.size % known !== 0) {
      throw new Error(`reshape: cannot infer -1 in ${shapeToString(shape)} for ${x.size} elements.`);
    }
    s[s.indexOf(-1)] = x.size / known;
  }
  if (sizeOf(s) !== x.size) {
    throw new Error(
      `reshape: cannot reshape ${shapeToString(x.shape)} (${x.size} elements) to ${shapeToString(shape)}.`,
    );
  }
  return runKernel1('Reshape', [x], { shape: s });
}

/**
 * Flattens axes from startDim to the end into one (torch.flatten, default keeps the batch axis).
 *
 * @example
 * flatten(zeros([2, 3, 4]));   // [2, 12]
 */
export function flatten(x: Tensor, startDim = 1): Tensor {
  const d = normalizeAxis(startDim, x.rank);
  return reshape(x, [...x.shape.slice(0, d), sizeOf(x.shape.slice(d))]);
}

/**
 * Inserts a size-1 axis at `axis` (torch.unsqueeze).
 *
 * @example
 * expandDims(zeros([3]), 0);   // [1, 3]
 */
export function expandDims(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, x.rank + 1);
  const s = [...x.shape];
  s.splice(a, 0, 1);
  return reshape(x, s);
}

/**
 * Removes size-1 axes (all, or the given one).
 *
 * @example
 * squeeze(zeros([1, 3, 1]));   // [3]
 */
export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const a = normalizeAxis(axis, x.rank);
  if (x.shape[a] !== 1) return x;
  return reshape(
    x,
    x.shape.filter((_, i) => i !== a),
  );
}

/**
 * Reorders axes: result axis i is input axis perm[i] (torch.permute).
 *
 * @example
 * permute(zeros([2, 3, 4]), [2, 0, 1]);   // [4, 2, 3]
 */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const p = perm.map((a) => normalizeAxis(a, x.rank));
  if (p.length !== x.rank || new Set(p).size !== p.length) {
    throw new Error(
      `permute: [${perm.join(', ')}] is not a permutation of the ${x.rank} axes of ${shapeToString(x.shape)}.`,
    );
  }
  if (p.every((a, i) => a === i)) return x;
  return runKernel1('Transpose', [x], { perm: p });
}

/**
 * Swaps two axes (default: the last two).
 *
 * @example
 * transpose(zeros([2, 3]));   // [3, 2]
 */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  const a = normalizeAxis(dim0, x.rank);
  const b = normalizeAxis(dim1, x.rank);
  const p = Array.from({ length: x.rank }, (_, i) => i);
  p[a] = b;
  p[b] = a;
  return permute(x, p);
}

/**
 * x[..., start:end, ...] along `axis` (negative start/end count from the end, like Python).
 *
 * @example
 * slice(tensor([[1, 2, 3]]), 1, 1, 3);   // [[2, 3]]
 */
export function slice(x: Tensor, axis: number, start: number, end?: number): Tensor {
  const a = normalizeAxis(axis, x.rank);
  const n = x.shape[a];
  const clamp = (v: number): number => Math.min(n, Math.max(0, v < 0 ? v + n : v));
  const s = clamp(start);
  const e = Math.max(s, clamp(end ?? n));
  return runKernel1('Slice', [x], { axis: a, start: s, end: e });
}

/**
 * Joins tensors along an existing axis; all other dimensions must match.
 *
 * @example
 * concat([zeros([2, 3]), ones([2, 1])], 1);   // [2, 4]
 */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new Error('concat needs at least one tensor.');
  const a = normalizeAxis(axis, xs[0].rank);
  for (const [i, t] of xs.entries()) {
    if (t.rank !== xs[0].rank || t.shape.some((d, j) => j !== a && d !== xs[0].shape[j])) {
      throw new Error(
        `concat: tensor ${i} has shape ${shapeToString(t.shape)}, incompatible with ${shapeToString(xs[0].shape)} along axis ${a}.`,
      );
    }
    if (t.dtype !== xs[0].dtype) throw new Error(`concat: tensor ${i} is ${t.dtype}, tensor 0 is ${xs[0].dtype}.`);
  }
  if (xs.length === 1) return xs[0];
  return runKernel('Concat', xs, { axis: a, sizes: xs.map((t) => t.shape[a]) })[0];
}

/**
 * Joins same-shape tensors along a new axis.
 *
 * @example
 * stack([zeros([3]), ones([3])], 0);   // [2, 3]
 */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new Error('stack needs at least one tensor.');
  const a = normalizeAxis(axis, xs[0].rank + 1);
  return concat(
    xs.map((t) => expandDims(t, a)),
    a,
  );
}

/**
 * A tensor sharing x's data that is cut off from the tape (no gradient flows through it).
 *
 * @example
 * const target = detach(pred);
 */
export function detach(x: Tensor): Tensor {
  return x.view(x.shape);
}

/**
 * A copy with its own storage (differentiable: the gradient passes through).
 *
 * @example
 * const y = clone(x);
 */
export function clone(x: Tensor): Tensor {
  return runKernel1('Identity', [x]);
}
