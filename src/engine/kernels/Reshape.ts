import type { KernelConfig } from './registry';

/** Reshape is a view: the output shares the input's storage (no copy, no kernel work). */
export const reshapeConfig: KernelConfig = {
  kernelName: 'Reshape',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => [x.view(attrs.shape as number[])],
};
