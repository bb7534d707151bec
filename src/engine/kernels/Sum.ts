import type { KernelConfig } from './registry';
import { reduceImpl, reducedShape } from './reduceImpl';
import { empty } from '../tensor/create';
import { sumF32Simd } from './wasm/elementwiseF32Simd';
import type { TypedArray } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';

/** The Sum kernel's work on typed arrays: `out` = x summed over `axes` (SIMD where it applies, else `reduceImpl`). */
export function sumInto(x: TypedArray, shape: Shape, axes: readonly number[], out: TypedArray): void {
  const simd = x instanceof Float32Array && out instanceof Float32Array && sumF32Simd(x, shape, axes, out);
  if (!simd) reduceImpl('sum', x, shape, axes, out);
}

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
    sumInto(x.data, x.shape, axes, out.data);
    return [out];
  },
};
