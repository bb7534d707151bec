import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** Relu elementwise; the typed-array work is `unaryImpl('relu', …)` (naive twin: `unaryNaive`). */
export const reluConfig: KernelConfig = {
  kernelName: 'Relu',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('relu', x.data, out.data, x.size, 0);
    return [out];
  },
};
