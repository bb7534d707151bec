import type { KernelConfig } from './registry';
import { activationGradImpl } from './activationGradImpl';
import { empty } from '../tensor/create';
import { ELEMENTWISE_SIMD_MIN, tanhGradF32Simd } from './wasm/elementwiseF32Simd';
import { sameDType } from './kernelUtil';
import { shapeToString, shapesEqual } from '../tensor/shape';

/**
 * Backward-only fused kernel: inputs [output y, dy] of the same shape → dx (see
 * activationGradImpl; naive twin activationGradNaive). Used by Tanh's gradient.
 */
export const tanhGradKernelConfig: KernelConfig = {
  kernelName: 'TanhGrad',
  backendName: 'cpu',
  kernelFunc: ([v, dy]) => {
    sameDType('TanhGrad', [v, dy]);
    if (!shapesEqual(v.shape, dy.shape)) {
      throw new Error(`TanhGrad: shapes ${shapeToString(v.shape)} and ${shapeToString(dy.shape)} differ.`);
    }
    const out = empty(v.shape, v.dtype);
    const simd =
      v.size >= ELEMENTWISE_SIMD_MIN &&
      v.data instanceof Float32Array &&
      dy.data instanceof Float32Array &&
      out.data instanceof Float32Array &&
      tanhGradF32Simd(v.data, dy.data, out.data, v.size);
    if (!simd) activationGradImpl('tanh', v.data, dy.data, out.data, v.size);
    return [out];
  },
};
