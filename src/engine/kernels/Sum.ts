import type { KernelConfig } from './registry';
import { reduceImpl, reducedShape } from './reduceImpl';
import { empty } from '../tensor/create';
import { sumF32Simd } from './wasm/elementwiseF32Simd';

/**
 * Sum over `axes` (sorted, distinct, non-negative); `keepDims` keeps size-1 axes. Naive twin: `reduceNaive`.
 * Float32 sums over a contiguous block of axes with a multiple of 4 elements after it (bias
 * gradients) run in WebAssembly SIMD with `reduceImpl`'s bits (`sumF32Simd`).
 */
export const sumConfig: KernelConfig = {
  kernelName: 'Sum',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const axes = attrs.axes as number[];
    const out = empty(reducedShape(x.shape, axes, attrs.keepDims === true), x.dtype);
    const simd =
      x.data instanceof Float32Array && out.data instanceof Float32Array && sumF32Simd(x.data, x.shape, axes, out.data);
    if (!simd) reduceImpl('sum', x.data, x.shape, axes, out.data);
    return [out];
  },
};
