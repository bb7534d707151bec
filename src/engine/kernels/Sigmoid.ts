import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** Sigmoid elementwise; the typed-array work is `unaryImpl('sigmoid', …)` (naive twin: `unaryNaive`). */
export const sigmoidConfig: KernelConfig = {
  kernelName: 'Sigmoid',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('sigmoid', x.data, out.data, x.size, 0);
    return [out];
  },
};
