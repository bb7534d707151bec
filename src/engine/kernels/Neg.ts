import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** Neg elementwise; the typed-array work is `unaryImpl('neg', …)` (naive twin: `unaryNaive`). */
export const negConfig: KernelConfig = {
  kernelName: 'Neg',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('neg', x.data, out.data, x.size, 0);
    return [out];
  },
};
