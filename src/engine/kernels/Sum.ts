import type { KernelConfig } from './registry';
import { reduceImpl, reducedShape } from './reduceImpl';
import { empty } from '../tensor/create';

/** Sum over `axes` (sorted, distinct, non-negative); `keepDims` keeps size-1 axes. Naive twin: `reduceNaive`. */
export const sumConfig: KernelConfig = {
  kernelName: 'Sum',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const axes = attrs.axes as number[];
    const out = empty(reducedShape(x.shape, axes, attrs.keepDims === true), x.dtype);
    reduceImpl('sum', x.data, x.shape, axes, out.data);
    return [out];
  },
};
