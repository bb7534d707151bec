import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** Pow elementwise; the typed-array work is `unaryImpl('pow', …)` (naive twin: `unaryNaive`). */
export const powConfig: KernelConfig = {
  kernelName: 'Pow',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('pow', x.data, out.data, x.size, attrs.exponent as number);
    return [out];
  },
};
