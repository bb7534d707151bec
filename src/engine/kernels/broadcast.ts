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
