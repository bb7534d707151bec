import type { Tensor } from '../tensor/tensor';
import type { Saved } from './tape';

/**
 * Computes the gradients of a kernel's inputs from the gradients of its outputs (dys[i] is
 * the gradient of output i, zeros when that output got none). Written with ops; runs with
 * gradient recording off. Returns one entry per input (null: no gradient for that input).
 */
export type GradFunc = (dys: readonly Tensor[], saved: Saved) => (Tensor | null)[];

export interface GradConfig {
  kernelName: string;
  /** Indices of the inputs the gradient reads (kept alive on the tape). Default: none. */
  inputsToSave?: readonly number[];
  /** Indices of the outputs the gradient reads. Default: none. */
  outputsToSave?: readonly number[];
  gradFunc: GradFunc;
}

const gradients = new Map<string, GradConfig>();

/** Registers the gradient of a kernel; registering the same kernel twice throws. */
export function registerGradient(config: GradConfig): void {
  if (gradients.has(config.kernelName)) {
    throw new Error(`A gradient for kernel "${config.kernelName}" is already registered.`);
  }
  gradients.set(config.kernelName, config);
}

export function getGradient(kernelName: string): GradConfig | undefined {
  return gradients.get(kernelName);
}

export function registeredGradientNames(): string[] {
  return [...gradients.keys()].sort();
}
