import type { KernelConfig } from './registry';
import { softmaxImpl } from './softmaxImpl';
import { splitAxis } from './kernelUtil';
import { empty } from '../tensor/create';

/** Softmax along `axis` (non-negative). Naive twin: `softmaxNaive`. */
export const softmaxConfig: KernelConfig = {
  kernelName: 'Softmax',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const axis = attrs.axis as number;
    const [outer, n, inner] = splitAxis(x.shape, axis);
    const out = empty(x.shape, x.dtype);
    softmaxImpl('softmax', x.data, out.data, outer, n, inner);
    return [out];
  },
};
