import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** Exp elementwise; the typed-array work is `unaryImpl('exp', …)` (naive twin: `unaryNaive`). */
export const expConfig: KernelConfig = {
  kernelName: 'Exp',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('exp', x.data, out.data, x.size, 0);
    return [out];
  },
};
