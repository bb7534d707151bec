import type { KernelConfig } from './registry';
import { softmaxImpl } from './softmaxImpl';
import { splitAxis } from './kernelUtil';
import { empty } from '../tensor/create';

/** LogSumExp along `axis` (non-negative); the output keeps the axis with size 1. Naive twin: `softmaxNaive`. */
export const logSumExpConfig: KernelConfig = {
  kernelName: 'LogSumExp',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const axis = attrs.axis as number;
    const [outer, n, inner] = splitAxis(x.shape, axis);
    const out = empty(
      x.shape.map((d, i) => (i === axis ? 1 : d)),
      x.dtype,
    );
    softmaxImpl('logSumExp', x.data, out.data, outer, n, inner);
    return [out];
  },
};
