import type { KernelConfig } from './registry';
import type { DType } from '../tensor/dtype';
import { unaryImpl } from './unaryImpl';
import { empty } from '../tensor/create';

/** Converts to another dtype (float64 → float32 rounds to nearest). */
export const castConfig: KernelConfig = {
  kernelName: 'Cast',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const out = empty(x.shape, attrs.dtype as DType);
    unaryImpl('copy', x.data, out.data, x.size);
    return [out];
  },
};
