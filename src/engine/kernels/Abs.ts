import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** Abs elementwise; the typed-array work is `unaryImpl('abs', …)` (naive twin: `unaryNaive`). */
export const absConfig: KernelConfig = {
  kernelName: 'Abs',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('abs', x.data, out.data, x.size, 0);
    return [out];
  },
};
