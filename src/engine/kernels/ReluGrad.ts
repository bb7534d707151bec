import type { KernelConfig } from './registry';
import { activationGradImpl } from './activationGradImpl';
import { empty } from '../tensor/create';
import { RELU_SIMD_MIN, reluGradF32Simd } from './wasm/reluF32Simd';
import { sameDType } from './kernelUtil';
import { shapeToString, shapesEqual } from '../tensor/shape';

/**
 * Backward-only fused kernel: inputs [input x, dy] of the same shape → dx (see
 * activationGradImpl; naive twin activationGradNaive). Used by Relu's gradient.
 */
export const reluGradKernelConfig: KernelConfig = {
  kernelName: 'ReluGrad',
  backendName: 'cpu',
  kernelFunc: ([v, dy]) => {
    sameDType('ReluGrad', [v, dy]);
    if (!shapesEqual(v.shape, dy.shape)) {
      throw new Error(`ReluGrad: shapes ${shapeToString(v.shape)} and ${shapeToString(dy.shape)} differ.`);
    }
    const out = empty(v.shape, v.dtype);
    const simd =
      v.size >= RELU_SIMD_MIN &&
      v.data instanceof Float32Array &&
      dy.data instanceof Float32Array &&
      out.data instanceof Float32Array &&
      reluGradF32Simd(v.data, dy.data, out.data, v.size);
    if (!simd) activationGradImpl('relu', v.data, dy.data, out.data, v.size);
    return [out];
  },
};
