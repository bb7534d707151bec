import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** Sqrt elementwise; the typed-array work is `unaryImpl('sqrt', …)` (naive twin: `unaryNaive`). */
export const sqrtConfig: KernelConfig = {
  kernelName: 'Sqrt',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('sqrt', x.data, out.data, x.size, 0);
    return [out];
  },
};
