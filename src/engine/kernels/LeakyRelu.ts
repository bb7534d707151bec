import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** LeakyRelu elementwise; the typed-array work is `unaryImpl('leakyRelu', …)` (naive twin: `unaryNaive`). */
export const leakyReluConfig: KernelConfig = {
  kernelName: 'LeakyRelu',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('leakyRelu', x.data, out.data, x.size, attrs.negativeSlope as number);
    return [out];
  },
};
