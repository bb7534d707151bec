import type { KernelConfig } from './registry';
import { binaryImpl } from './binaryImpl';
import { broadcastShapes } from '../tensor/shape';
import { empty } from '../tensor/create';
import { sameDType } from './kernelUtil';

/** Maximum with broadcasting; the typed-array work is `binaryImpl('maximum', …)` (naive twin: `binaryNaive`). */
export const maximumConfig: KernelConfig = {
  kernelName: 'Maximum',
  backendName: 'cpu',
  kernelFunc: ([a, b]) => {
    sameDType('Maximum', [a, b]);
    const shape = broadcastShapes(a.shape, b.shape);
    const out = empty(shape, a.dtype);
    binaryImpl('maximum', a.data, a.shape, b.data, b.shape, out.data, shape);
    return [out];
  },
};
