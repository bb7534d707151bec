import type { KernelConfig } from './registry';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** A copy into new storage (clone). */
export const identityConfig: KernelConfig = {
  kernelName: 'Identity',
  backendName: 'cpu',
  kernelFunc: ([x]) => {
    const out = empty(x.shape, x.dtype);
    unaryImpl('copy', x.data, out.data, x.size);
    return [out];
  },
};
