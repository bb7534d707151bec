import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';
import { ELEMENTWISE_SIMD_MIN, unaryCheckedF32Simd } from './wasm/elementwiseF32Simd';

/**
 * Sigmoid elementwise; the typed-array work is `unaryImpl('sigmoid', …)` (naive twin: `unaryNaive`),
 * in float32 from 64 elements on by WebAssembly SIMD with the same bits (wasm/elementwiseF32Simd).
 */
export const sigmoidConfig: KernelConfig = {
  kernelName: 'Sigmoid',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    const simd =
      x.size >= ELEMENTWISE_SIMD_MIN &&
      x.data instanceof Float32Array &&
      out.data instanceof Float32Array &&
      unaryCheckedF32Simd('sigmoid', x.data, out.data, x.size);
    if (!simd) unaryImpl('sigmoid', x.data, out.data, x.size, 0);
    return [out];
  },
};
