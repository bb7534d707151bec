import type { KernelConfig } from './registry';
import { binaryImpl } from './binaryImpl';
import { broadcastShapes } from '../tensor/shape';
import { empty } from '../tensor/create';
import { sameDType } from './kernelUtil';

/** Equal with broadcasting; the typed-array work is `binaryImpl('equal', …)` (naive twin: `binaryNaive`). */
export const equalConfig: KernelConfig = {
  kernelName: 'Equal',
  backendName: 'cpu',
  kernelFunc: ([a, b]) => {
    sameDType('Equal', [a, b]);
    const shape = broadcastShapes(a.shape, b.shape);
    const out = empty(shape, a.dtype);
    binaryImpl('equal', a.data, a.shape, b.data, b.shape, out.data, shape);
    return [out];
  },
};
