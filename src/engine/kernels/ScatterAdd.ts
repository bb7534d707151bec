import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import { empty } from '../tensor/create';
import { splitAxis } from './kernelUtil';

/** out = zeros [outer, n, inner]; out[o, idx[k], j] += y[o, k, j] (the gradient of Gather; repeated indices add). */
export function scatterAddImpl(
  y: TypedArray,
  outer: number,
  n: number,
  inner: number,
  idx: Int32Array,
  out: TypedArray,
): void {
  const m = idx.length;
  out.fill(0, 0, outer * n * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) {
      const dst = (o * n + idx[k]) * inner;
      const src = (o * m + k) * inner;
      for (let j = 0; j < inner; j++) out[dst + j] += y[src + j];
    }
  }
}

/** Naive twin (tests only). */
export function scatterAddNaive(
  y: ArrayLike<number>,
  outer: number,
  n: number,
  inner: number,
  idx: ArrayLike<number>,
): number[] {
  const res = new Array<number>(outer * n * inner).fill(0);
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < idx.length; k++)
      for (let j = 0; j < inner; j++) res[(o * n + idx[k]) * inner + j] += y[(o * idx.length + k) * inner + j];
  return res;
}

export const scatterAddConfig: KernelConfig = {
  kernelName: 'ScatterAdd',
  backendName: 'cpu',
  kernelFunc: ([y], attrs) => {
    const axis = attrs.axis as number;
    const size = attrs.size as number;
    const idx = attrs.indices as Int32Array;
    const [outer, , inner] = splitAxis(y.shape, axis);
    const out = empty(
      y.shape.map((d, i) => (i === axis ? size : d)),
      y.dtype,
    );
    scatterAddImpl(y.data, outer, size, inner, idx, out.data);
    return [out];
  },
};
