import type { KernelConfig } from './registry';
import { binaryImpl } from './binaryImpl';
import { broadcastShapes } from '../tensor/shape';
import { empty } from '../tensor/create';
import { sameDType } from './kernelUtil';

/** Minimum with broadcasting; the typed-array work is `binaryImpl('minimum', …)` (naive twin: `binaryNaive`). */
export const minimumConfig: KernelConfig = {
  kernelName: 'Minimum',
  backendName: 'cpu',
  kernelFunc: ([a, b]) => {
    sameDType('Minimum', [a, b]);
    const shape = broadcastShapes(a.shape, b.shape);
    const out = empty(shape, a.dtype);
    binaryImpl('minimum', a.data, a.shape, b.data, b.shape, out.data, shape);
    return [out];
  },
};
