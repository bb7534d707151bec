import type { Tensor } from '../tensor/tensor';
import { shapeToString } from '../tensor/shape';

export function sameDType(kernel: string, ts: readonly Tensor[]): void {
  // Indexed, not for…of: every kernel call with several inputs runs this.
  const dtype = ts[0].dtype;
  for (let i = 1; i < ts.length; i++) {
    if (ts[i].dtype !== dtype) {
      throw new Error(`${kernel}: inputs have different dtypes (${dtype} and ${ts[i].dtype}); cast one first.`);
    }
  }
}

export function expectRank(kernel: string, t: Tensor, minRank: number): void {
  if (t.rank < minRank) {
    throw new Error(`${kernel}: expected a tensor of rank ≥ ${minRank}, got shape ${shapeToString(t.shape)}.`);
  }
}

/** Splits a shape around `axis` into (outer, n, inner) for axis-wise kernels. */
export function splitAxis(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[axis] ?? 1, inner];
}
