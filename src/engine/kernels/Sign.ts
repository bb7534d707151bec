import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** Sign elementwise; the typed-array work is `unaryImpl('sign', …)` (naive twin: `unaryNaive`). */
export const signConfig: KernelConfig = {
  kernelName: 'Sign',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('sign', x.data, out.data, x.size, 0);
    return [out];
  },
};
