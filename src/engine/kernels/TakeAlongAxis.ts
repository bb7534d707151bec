import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import { empty } from '../tensor/create';
import { splitAxis } from './kernelUtil';

/**
 * out[o, k, j] = x[o, idx[o, k, j], j] (torch.gather): x is [outer, n, inner], idx and out are
 * [outer, m, inner].
 */
export function takeAlongAxisImpl(
  x: TypedArray,
  outer: number,
  n: number,
  inner: number,
  m: number,
  idx: Int32Array,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) {
      const b = (o * m + k) * inner;
      for (let j = 0; j < inner; j++) out[b + j] = x[(o * n + idx[b + j]) * inner + j];
    }
  }
}

/** out = zeros [outer, n, inner]; out[o, idx[o, k, j], j] += y[o, k, j] (the gradient of TakeAlongAxis). */
export function scatterAlongAxisImpl(
  y: TypedArray,
  outer: number,
  n: number,
  inner: number,
  m: number,
  idx: Int32Array,
  out: TypedArray,
): void {
  out.fill(0, 0, outer * n * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) {
      const b = (o * m + k) * inner;
      for (let j = 0; j < inner; j++) out[(o * n + idx[b + j]) * inner + j] += y[b + j];
    }
  }
}

/** Naive twin of takeAlongAxisImpl (tests only). */
export function takeAlongAxisNaive(
  x: ArrayLike<number>,
  outer: number,
  n: number,
  inner: number,
  m: number,
  idx: ArrayLike<number>,
): number[] {
  return Array.from({ length: outer * m * inner }, (_, i) => {
    const o = Math.floor(i / (m * inner));
    const j = i % inner;
    return x[(o * n + idx[i]) * inner + j];
  });
}

/** Naive twin of scatterAlongAxisImpl (tests only). */
export function scatterAlongAxisNaive(
  y: ArrayLike<number>,
  outer: number,
  n: number,
  inner: number,
  m: number,
  idx: ArrayLike<number>,
): number[] {
  const res = new Array<number>(outer * n * inner).fill(0);
  for (let i = 0; i < outer * m * inner; i++) {
    const o = Math.floor(i / (m * inner));
    const j = i % inner;
    res[(o * n + idx[i]) * inner + j] += y[i];
  }
  return res;
}

export const takeAlongAxisConfig: KernelConfig = {
  kernelName: 'TakeAlongAxis',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const axis = attrs.axis as number;
    const idxShape = attrs.indicesShape as number[];
    const [outer, n, inner] = splitAxis(x.shape, axis);
    const out = empty(idxShape, x.dtype);
    takeAlongAxisImpl(x.data, outer, n, inner, idxShape[axis], attrs.indices as Int32Array, out.data);
    return [out];
  },
};

export const scatterAlongAxisConfig: KernelConfig = {
  kernelName: 'ScatterAlongAxis',
  backendName: 'cpu',
  kernelFunc: ([y], attrs) => {
    const axis = attrs.axis as number;
    const size = attrs.size as number;
    const [outer, m, inner] = splitAxis(y.shape, axis);
    const out = empty(
      y.shape.map((d, i) => (i === axis ? size : d)),
      y.dtype,
    );
    scatterAlongAxisImpl(y.data, outer, size, inner, m, attrs.indices as Int32Array, out.data);
    return [out];
  },
};
