import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** Tanh elementwise; the typed-array work is `unaryImpl('tanh', …)` (naive twin: `unaryNaive`). */
export const tanhConfig: KernelConfig = {
  kernelName: 'Tanh',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('tanh', x.data, out.data, x.size, 0);
    return [out];
  },
};
