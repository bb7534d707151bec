/**
 * Every range kernel, by name: the table the kernel pool's worker threads look kernels up in
 * (see parallel/kernelPool.ts). Each entry is a pure kernel of this folder restricted to a row
 * range. It lives with the kernels, not in parallel/, so that kernels import the pool's
 * interface and nothing in parallel/ imports a kernel.
 */
import type { RangeKernel } from '../parallel/kernelPool';
import { matMulRows } from './gemm/gemm';
import { conv2dSamples } from './Conv2d';
import { conv2dBackpropInputSamples } from './Conv2dBackpropInput';

/** MatMul: rows of C = A · B with the engine's gemm (see gemm/gemm.ts `matMulRows`). */
export const rangeKernels: Readonly<Record<string, RangeKernel>> = {
  MatMul: matMulRows,
  /** Conv2d and its input gradient: samples of the batch (see Conv2d.ts, Conv2dBackpropInput.ts). */
  Conv2d: conv2dSamples,
  Conv2dBackpropInput: conv2dBackpropInputSamples,
};

export function getRangeKernel(name: string): RangeKernel {
  const k = rangeKernels[name];
  if (k === undefined)
    throw new Error(`No range kernel named "${name}" (known: ${Object.keys(rangeKernels).join(', ')}).`);
  return k;
}
