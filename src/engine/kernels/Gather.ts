import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import { empty } from '../tensor/create';
import { splitAxis } from './kernelUtil';

/** out[o, k, j] = x[o, idx[k], j] over [outer, n, inner] (torch.index_select). Indices are in range. */
export function gatherImpl(
  x: TypedArray,
  outer: number,
  n: number,
  inner: number,
  idx: Int32Array,
  out: TypedArray,
): void {
  const m = idx.length;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) {
      const src = (o * n + idx[k]) * inner;
      const dst = (o * m + k) * inner;
      for (let j = 0; j < inner; j++) out[dst + j] = x[src + j];
    }
  }
}

/** Naive twin (tests only). */
export function gatherNaive(
  x: ArrayLike<number>,
  outer: number,
  n: number,
  inner: number,
  idx: ArrayLike<number>,
): number[] {
  const res: number[] = [];
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < idx.length; k++) for (let j = 0; j < inner; j++) res.push(x[(o * n + idx[k]) * inner + j]);
  return res;
}

export const gatherConfig: KernelConfig = {
  kernelName: 'Gather',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const axis = attrs.axis as number;
    const idx = attrs.indices as Int32Array;
    const [outer, n, inner] = splitAxis(x.shape, axis);
    const out = empty(
      x.shape.map((d, i) => (i === axis ? idx.length : d)),
      x.dtype,
    );
    gatherImpl(x.data, outer, n, inner, idx, out.data);
    return [out];
  },
};
