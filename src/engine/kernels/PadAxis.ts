import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import { empty } from '../tensor/create';
import { splitAxis } from './kernelUtil';

/** Zero padding along one axis: `before` zeros, x, `after` zeros (the gradient of Slice). */
export function padAxisImpl(
  x: TypedArray,
  outer: number,
  n: number,
  inner: number,
  before: number,
  after: number,
  out: TypedArray,
): void {
  const total = before + n + after;
  out.fill(0, 0, outer * total * inner);
  for (let o = 0; o < outer; o++) {
    const src = o * n * inner;
    const dst = (o * total + before) * inner;
    for (let j = 0; j < n * inner; j++) out[dst + j] = x[src + j];
  }
}

/** Naive twin (tests only). */
export function padAxisNaive(
  x: ArrayLike<number>,
  outer: number,
  n: number,
  inner: number,
  before: number,
  after: number,
): number[] {
  const res: number[] = [];
  for (let o = 0; o < outer; o++)
    for (let k = -before; k < n + after; k++)
      for (let j = 0; j < inner; j++) res.push(k >= 0 && k < n ? x[(o * n + k) * inner + j] : 0);
  return res;
}

export const padAxisConfig: KernelConfig = {
  kernelName: 'PadAxis',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const axis = attrs.axis as number;
    const before = attrs.before as number;
    const after = attrs.after as number;
    const [outer, n, inner] = splitAxis(x.shape, axis);
    const out = empty(
      x.shape.map((d, i) => (i === axis ? d + before + after : d)),
      x.dtype,
    );
    padAxisImpl(x.data, outer, n, inner, before, after, out.data);
    return [out];
  },
};
