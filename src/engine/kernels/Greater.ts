import type { KernelConfig } from './registry';
import { binaryImpl } from './binaryImpl';
import { broadcastShapes } from '../tensor/shape';
import { empty } from '../tensor/create';
import { sameDType } from './kernelUtil';

/** Greater with broadcasting; the typed-array work is `binaryImpl('greater', …)` (naive twin: `binaryNaive`). */
export const greaterConfig: KernelConfig = {
  kernelName: 'Greater',
  backendName: 'cpu',
  kernelFunc: ([a, b]) => {
    sameDType('Greater', [a, b]);
    const shape = broadcastShapes(a.shape, b.shape);
    const out = empty(shape, a.dtype);
    binaryImpl('greater', a.data, a.shape, b.data, b.shape, out.data, shape);
    return [out];
  },
};
