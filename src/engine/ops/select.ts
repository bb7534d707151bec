import { empty } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { normalizeAxis, shapeToString } from '../tensor/shape';
import { gather, takeAlongAxis } from './gather';
import { reshape, slice } from './shape';

/**
 * The positions Python's `range(*slice(start, end, step).indices(size))` visits: negative start
 * and end count from the end, both are clamped to the axis, `null` means "from the beginning" /
 * "to the end". Only positive steps (PyTorch refuses the others).
 *
 * @example
 * sliceIndices(6, -4, -1, 2);   // [2, 4]
 */
export function sliceIndices(size: number, start: number | null, end: number | null, step = 1): number[] {
  if (!Number.isInteger(step) || step < 1) throw new Error(`slice: the step must be a positive integer, got ${step}.`);
  const clamp = (v: number): number => Math.min(size, Math.max(0, v < 0 ? v + size : v));
  const s = start === null ? 0 : clamp(start);
  const e = end === null ? size : clamp(end);
  const out: number[] = [];
  for (let i = s; i < e; i += step) out.push(i);
  return out;
}

/**
 * One index along an axis, the axis removed (torch.select; `x[:, -1]` is `select(x, 1, -1)`).
 * A negative index counts from the end. The gradient goes back to that slice only.
 *
 * @example
 * select(tensor([[1, 2, 3], [4, 5, 6]]), 1, -1);   // [3, 6]
 */
export function select(x: Tensor, axis: number, index: number): Tensor {
  const a = normalizeAxis(axis, x.rank);
  const n = x.shape[a];
  const i = index < 0 ? index + n : index;
  if (!Number.isInteger(index) || i < 0 || i >= n)
    throw new Error(`select: index ${index} is out of range for axis ${a} of size ${n} (${shapeToString(x.shape)}).`);
  return reshape(
    slice(x, a, i, i + 1),
    x.shape.filter((_, k) => k !== a),
  );
}

/**
 * `x[..., start:end:step, ...]` along `axis`, with Python's slicing rules ({@link sliceIndices}).
 * A step of 1 is one contiguous copy; larger steps pick the positions (torch.index_select).
 *
 * @example
 * sliceStep(tensor([1, 2, 3, 4, 5, 6]), 0, 1, null, 3);   // [2, 5]
 */
export function sliceStep(x: Tensor, axis: number, start: number | null, end: number | null, step = 1): Tensor {
  const a = normalizeAxis(axis, x.rank);
  const idx = sliceIndices(x.shape[a], start, end, step);
  if (step === 1) return slice(x, a, idx.length === 0 ? 0 : idx[0], idx.length === 0 ? 0 : idx[idx.length - 1] + 1);
  return gather(x, idx, a);
}

/**
 * The largest entry along one axis, like the values of `torch.max(x, dim, keepdim)`: the
 * gradient goes to the *first* maximal entry only (torch 1.13's index on the CPU), a NaN counts
 * as the maximum (the first NaN wins). Unlike `max` (torch.amax), ties do not share it.
 *
 * @example
 * maxAlong(tensor([[1, 3, 3]]), 1);   // [3], gradient [0, 1, 0]
 */
export function maxAlong(x: Tensor, axis: number, keepDims = false): Tensor {
  const a = normalizeAxis(axis, x.rank);
  const n = x.shape[a];
  if (n === 0) throw new Error(`maxAlong: axis ${a} of ${shapeToString(x.shape)} is empty.`);
  const inner = x.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const outer = x.size / (n * inner);
  const keepShape = x.shape.map((d, k) => (k === a ? 1 : d));
  const idx = empty(keepShape, x.dtype);
  const v = x.data;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let best = 0;
      let bv = v[base];
      if (!Number.isNaN(bv))
        for (let k = 1; k < n; k++) {
          const c = v[base + k * inner];
          if (Number.isNaN(c)) {
            best = k;
            break;
          }
          if (c > bv) {
            best = k;
            bv = c;
          }
        }
      idx.data[o * inner + j] = best;
    }
  }
  const picked = takeAlongAxis(x, idx, a);
  idx.dispose();
  return keepDims
    ? picked
    : reshape(
        picked,
        x.shape.filter((_, k) => k !== a),
      );
}
