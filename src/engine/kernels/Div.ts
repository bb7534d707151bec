import type { KernelConfig } from './registry';
import { binaryImpl } from './binaryImpl';
import { broadcastShapes } from '../tensor/shape';
import { empty } from '../tensor/create';
import { sameDType } from './kernelUtil';

/** Div with broadcasting; the typed-array work is `binaryImpl('div', …)` (naive twin: `binaryNaive`). */
export const divConfig: KernelConfig = {
  kernelName: 'Div',
  backendName: 'cpu',
  kernelFunc: ([a, b]) => {
    sameDType('Div', [a, b]);
    const shape = broadcastShapes(a.shape, b.shape);
    const out = empty(shape, a.dtype);
    binaryImpl('div', a.data, a.shape, b.data, b.shape, out.data, shape);
    return [out];
  },
};
