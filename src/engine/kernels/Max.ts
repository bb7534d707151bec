import type { KernelConfig } from './registry';
import { reduceImpl, reducedShape } from './reduceImpl';
import { empty } from '../tensor/create';

/** Max over `axes` (sorted, distinct, non-negative); `keepDims` keeps size-1 axes. Naive twin: `reduceNaive`. */
export const maxConfig: KernelConfig = {
  kernelName: 'Max',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const axes = attrs.axes as number[];
    const out = empty(reducedShape(x.shape, axes, attrs.keepDims === true), x.dtype);
    reduceImpl('max', x.data, x.shape, axes, out.data);
    return [out];
  },
};
