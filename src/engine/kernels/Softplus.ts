import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** Softplus log(1 + e^x) elementwise, stable; the typed-array work is `unaryImpl('softplus', …)` (naive twin: `unaryNaive`). */
export const softplusConfig: KernelConfig = {
  kernelName: 'Softplus',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('softplus', x.data, out.data, x.size);
    return [out];
  },
};
