import type { KernelConfig } from './registry';
import { binaryF32Simd, binaryImpl } from './binaryImpl';
import { broadcastShapes } from '../tensor/shape';
import { empty } from '../tensor/create';
import { sameDType } from './kernelUtil';

/**
 * Mul with broadcasting; the typed-array work is `binaryImpl('mul', …)` (naive twin: `binaryNaive`),
 * float32 same-shape and bias-like from 64 elements on by WebAssembly SIMD with the same bits
 * (`binaryF32Simd`).
 */
export const mulConfig: KernelConfig = {
  kernelName: 'Mul',
  backendName: 'cpu',
  kernelFunc: ([a, b]) => {
    sameDType('Mul', [a, b]);
    const shape = broadcastShapes(a.shape, b.shape);
    const out = empty(shape, a.dtype);
    if (!binaryF32Simd('mul', a.data, a.shape, b.data, b.shape, out.data, shape)) {
      binaryImpl('mul', a.data, a.shape, b.data, b.shape, out.data, shape);
    }
    return [out];
  },
};
