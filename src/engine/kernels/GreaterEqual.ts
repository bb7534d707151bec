import type { KernelConfig } from './registry';
import { binaryImpl } from './binaryImpl';
import { broadcastShapes } from '../tensor/shape';
import { empty } from '../tensor/create';
import { sameDType } from './kernelUtil';

/** GreaterEqual with broadcasting; the typed-array work is `binaryImpl('greaterEqual', …)` (naive twin: `binaryNaive`). */
export const greaterEqualConfig: KernelConfig = {
  kernelName: 'GreaterEqual',
  backendName: 'cpu',
  kernelFunc: ([a, b]) => {
    sameDType('GreaterEqual', [a, b]);
    const shape = broadcastShapes(a.shape, b.shape);
    const out = empty(shape, a.dtype);
    binaryImpl('greaterEqual', a.data, a.shape, b.data, b.shape, out.data, shape);
    return [out];
  },
};
