import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import { sizeOf, stridesOf } from '../tensor/shape';
import { empty } from '../tensor/create';

/** out = x with axes permuted: out.shape[i] = shape[perm[i]]. Fast path for a 2-D transpose. */
export function transposeImpl(x: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): void {
  const rank = shape.length;
  const n = sizeOf(shape);
  if (rank === 2 && perm[0] === 1) {
    const [r, c] = shape;
    // Blocked so both reads and writes stay in cache lines.
    const B = 32;
    for (let i0 = 0; i0 < r; i0 += B) {
      for (let j0 = 0; j0 < c; j0 += B) {
        const iEnd = Math.min(i0 + B, r);
        const jEnd = Math.min(j0 + B, c);
        for (let i = i0; i < iEnd; i++) for (let j = j0; j < jEnd; j++) out[j * r + i] = x[i * c + j];
      }
    }
    return;
  }
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const eff = perm.map((p) => inStrides[p]);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < n; i++) {
    out[i] = x[src];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      src += eff[d];
      if (idx[d] < outShape[d]) break;
      src -= eff[d] * idx[d];
      idx[d] = 0;
    }
  }
}

/** Naive twin (tests only). */
export function transposeNaive(x: ArrayLike<number>, shape: Shape, perm: readonly number[]): number[] {
  const outShape = perm.map((p) => shape[p]);
  const outStrides = stridesOf(outShape);
  const inStrides = stridesOf(shape);
  return Array.from({ length: sizeOf(shape) }, (_, i) => {
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += (Math.floor(i / outStrides[d]) % outShape[d]) * inStrides[perm[d]];
    return x[src];
  });
}

export const transposeConfig: KernelConfig = {
  kernelName: 'Transpose',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const perm = attrs.perm as number[];
    const out = empty(
      perm.map((p) => x.shape[p]),
      x.dtype,
    );
    transposeImpl(x.data, x.shape, perm, out.data);
    return [out];
  },
};
