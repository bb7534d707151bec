import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';
import { RELU_SIMD_MIN, reluF32Simd } from './wasm/reluF32Simd';

/** Relu elementwise; the typed-array work is `unaryImpl('relu', …)` (naive twin: `unaryNaive`). */
export const reluConfig: KernelConfig = {
  kernelName: 'Relu',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    const simd =
      x.size >= RELU_SIMD_MIN &&
      x.data instanceof Float32Array &&
      out.data instanceof Float32Array &&
      reluF32Simd(x.data, out.data, x.size);
    if (!simd) unaryImpl('relu', x.data, out.data, x.size, 0);
    return [out];
  },
};
