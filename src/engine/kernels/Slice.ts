import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import { empty } from '../tensor/create';
import { splitAxis } from './kernelUtil';

/** out = x[..., start:start+len, ...] along the axis of an [outer, n, inner] view. */
export function sliceImpl(
  x: TypedArray,
  outer: number,
  n: number,
  inner: number,
  start: number,
  len: number,
  out: TypedArray,
): void {
  const row = len * inner;
  for (let o = 0; o < outer; o++) {
    const src = o * n * inner + start * inner;
    const dst = o * row;
    for (let j = 0; j < row; j++) out[dst + j] = x[src + j];
  }
}

/** Naive twin (tests only). */
export function sliceNaive(
  x: ArrayLike<number>,
  outer: number,
  n: number,
  inner: number,
  start: number,
  len: number,
): number[] {
  const res: number[] = [];
  for (let o = 0; o < outer; o++)
    for (let k = start; k < start + len; k++) for (let j = 0; j < inner; j++) res.push(x[(o * n + k) * inner + j]);
  return res;
}

export const sliceConfig: KernelConfig = {
  kernelName: 'Slice',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const axis = attrs.axis as number;
    const start = attrs.start as number;
    const len = (attrs.end as number) - start;
    const [outer, n, inner] = splitAxis(x.shape, axis);
    const out = empty(
      x.shape.map((d, i) => (i === axis ? len : d)),
      x.dtype,
    );
    sliceImpl(x.data, outer, n, inner, start, len, out.data);
    return [out];
  },
};
