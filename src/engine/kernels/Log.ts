import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** Log elementwise; the typed-array work is `unaryImpl('log', …)` (naive twin: `unaryNaive`). */
export const logConfig: KernelConfig = {
  kernelName: 'Log',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('log', x.data, out.data, x.size, 0);
    return [out];
  },
};
