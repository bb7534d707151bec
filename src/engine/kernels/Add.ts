import type { KernelConfig } from './registry';
import { binaryF32Simd, binaryImpl } from './binaryImpl';
import { broadcastShapes } from '../tensor/shape';
import { empty } from '../tensor/create';
import { sameDType } from './kernelUtil';

/**
 * Add with broadcasting; the typed-array work is `binaryImpl('add', …)` (naive twin: `binaryNaive`),
 * float32 same-shape and bias-like from 64 elements on by WebAssembly SIMD with the same bits
 * (`binaryF32Simd`).
 */
export const addConfig: KernelConfig = {
  kernelName: 'Add',
  backendName: 'cpu',
  kernelFunc: ([a, b]) => {
    sameDType('Add', [a, b]);
    const shape = broadcastShapes(a.shape, b.shape);
    const out = empty(shape, a.dtype);
    if (!binaryF32Simd('add', a.data, a.shape, b.data, b.shape, out.data, shape)) {
      binaryImpl('add', a.data, a.shape, b.data, b.shape, out.data, shape);
    }
    return [out];
  },
};
