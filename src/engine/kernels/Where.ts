import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import { broadcastShapes, sizeOf, shapesEqual } from '../tensor/shape';
import { empty } from '../tensor/create';
import { broadcastIndex } from './broadcast';
import { sameDType } from './kernelUtil';

/** out[i] = cond[i] ≠ 0 ? a[i] : b[i], all three broadcast to outShape. */
export function whereImpl(
  c: TypedArray,
  cShape: Shape,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
): void {
  const n = sizeOf(outShape);
  if (shapesEqual(cShape, outShape) && shapesEqual(aShape, outShape) && shapesEqual(bShape, outShape)) {
    for (let i = 0; i < n; i++) out[i] = c[i] !== 0 ? a[i] : b[i];
    return;
  }
  const ic = broadcastIndex(cShape, outShape, new Int32Array(n));
  const ia = broadcastIndex(aShape, outShape, new Int32Array(n));
  const ib = broadcastIndex(bShape, outShape, new Int32Array(n));
  for (let i = 0; i < n; i++) out[i] = c[ic[i]] !== 0 ? a[ia[i]] : b[ib[i]];
}

/** Naive twin (tests only). */
export function whereNaive(
  c: ArrayLike<number>,
  cShape: Shape,
  a: ArrayLike<number>,
  aShape: Shape,
  b: ArrayLike<number>,
  bShape: Shape,
  outShape: Shape,
): number[] {
  const n = sizeOf(outShape);
  const ic = broadcastIndex(cShape, outShape, new Int32Array(n));
  const ia = broadcastIndex(aShape, outShape, new Int32Array(n));
  const ib = broadcastIndex(bShape, outShape, new Int32Array(n));
  return Array.from({ length: n }, (_, i) => (c[ic[i]] ? a[ia[i]] : b[ib[i]]));
}

export const whereConfig: KernelConfig = {
  kernelName: 'Where',
  backendName: 'cpu',
  kernelFunc: ([c, a, b]) => {
    sameDType('Where', [a, b]);
    const shape = broadcastShapes(broadcastShapes(c.shape, a.shape), b.shape);
    const out = empty(shape, a.dtype);
    whereImpl(c.data, c.shape, a.data, a.shape, b.data, b.shape, out.data, shape);
    return [out];
  },
};
