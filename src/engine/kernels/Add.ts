import type { KernelConfig } from './registry';
import { binaryImpl } from './binaryImpl';
import { broadcastShapes } from '../tensor/shape';
import { empty } from '../tensor/create';
import { sameDType } from './kernelUtil';

/** Add with broadcasting; the typed-array work is `binaryImpl('add', …)` (naive twin: `binaryNaive`). */
export const addConfig: KernelConfig = {
  kernelName: 'Add',
  backendName: 'cpu',
  kernelFunc: ([a, b]) => {
    sameDType('Add', [a, b]);
    const shape = broadcastShapes(a.shape, b.shape);
    const out = empty(shape, a.dtype);
    binaryImpl('add', a.data, a.shape, b.data, b.shape, out.data, shape);
    return [out];
  },
};
