import type { Shape } from '../tensor/shape';
import { sizeOf, stridesOf } from '../tensor/shape';

/**
 * How an operand of a broadcasting op maps onto the output:
 * 'same' (index i), 'scalar' (index 0), 'suffix' (i % size: trailing dims match),
 * or 'general' (explicit index table).
 */
export type BroadcastMode = 'same' | 'scalar' | 'suffix' | 'general';

export function broadcastMode(shape: Shape, outShape: Shape): BroadcastMode {
  const n = sizeOf(shape);
  const outN = sizeOf(outShape);
  if (n === outN) return 'same';
  if (n === 1) return 'scalar';
  // Suffix: after dropping leading 1s, the operand's shape equals the output's trailing dims.
  let k = 0;
  while (k < shape.length && shape[k] === 1) k++;
  const rest = shape.slice(k);
  const tail = outShape.slice(outShape.length - rest.length);
  if (rest.length <= outShape.length && rest.every((d, i) => d === tail[i])) return 'suffix';
  return 'general';
}

/**
 * For each output element, the index of the operand element it reads (general broadcasting).
 * `out` must hold sizeOf(outShape) entries.
 */
export function broadcastIndex(shape: Shape, outShape: Shape, out: Int32Array): Int32Array {
  const rank = outShape.length;
  const off = rank - shape.length;
  const srcStrides = stridesOf(shape);
  const eff = new Array<number>(rank).fill(0);
  for (let i = 0; i < shape.length; i++) eff[i + off] = shape[i] === 1 ? 0 : srcStrides[i];
  const n = sizeOf(outShape);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < n; i++) {
    out[i] = src;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      src += eff[d];
      if (idx[d] < outShape[d]) break;
      src -= eff[d] * idx[d];
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * When `shape` repeats each of its elements over a block of trailing output axes (its own trailing
 * axes are 1, the leading ones equal the output's: a [N, 1] column against [N, C]), the block's
 * length r, so operand element ⌊i / r⌋ serves output element i. 0 otherwise (also for 'same' and
 * 'scalar', which have their own paths).
 */
export function prefixRepeat(shape: Shape, outShape: Shape): number {
  const off = outShape.length - shape.length;
  if (off < 0) return 0;
  // NOTE: axes the operand lacks count as 1; they must be 1 in the output too, or they would repeat.
  for (let d = 0; d < off; d++) if (outShape[d] !== 1) return 0;
  let k = 0;
  while (k < shape.length && shape[k] === outShape[k + off]) k++;
  let r = 1;
  for (let d = k; d < shape.length; d++) {
    if (shape[d] !== 1) return 0;
    r *= outShape[d + off];
  }
  return r > 1 && r < sizeOf(outShape) ? r : 0;
}
