import type { Tensor } from '../tensor/tensor';

/** Kernel attributes: plain, serialisable values (axes, flags, scalars, index arrays). */
export type Attrs = Readonly<Record<string, unknown>>;

/**
 * A registered kernel: takes input tensors and attributes, asks the allocator for its outputs
 * (through `empty`) and fills them with a pure typed-array function exported from the same file.
 */
export type KernelFunc = (inputs: readonly Tensor[], attrs: Attrs) => Tensor[];

export interface KernelConfig {
  kernelName: string;
  /** 'cpu' for the inline kernels; a parallel backend registers under its own name. */
  backendName: string;
  kernelFunc: KernelFunc;
}

const kernels = new Map<string, KernelConfig>();
/** The 'cpu' kernels by name alone: runKernel's lookup, without building a key string per call. */
const cpuKernels = new Map<string, KernelConfig>();

function key(kernelName: string, backendName: string): string {
  return `${backendName}:${kernelName}`;
}

/** Registers a kernel; registering the same (kernelName, backendName) twice throws. */
export function registerKernel(config: KernelConfig): void {
  const k = key(config.kernelName, config.backendName);
  if (kernels.has(k)) {
    throw new Error(`Kernel "${config.kernelName}" is already registered for backend "${config.backendName}".`);
  }
  kernels.set(k, config);
  if (config.backendName === 'cpu') cpuKernels.set(config.kernelName, config);
}

export function getKernel(kernelName: string, backendName = 'cpu'): KernelConfig {
  const k = backendName === 'cpu' ? cpuKernels.get(kernelName) : kernels.get(key(kernelName, backendName));
  if (k === undefined) {
    throw new Error(`No kernel "${kernelName}" is registered for backend "${backendName}".`);
  }
  return k;
}

export function hasKernel(kernelName: string, backendName = 'cpu'): boolean {
  return kernels.has(key(kernelName, backendName));
}

/** Names of every registered kernel for a backend, sorted. */
export function registeredKernelNames(backendName = 'cpu'): string[] {
  return [...kernels.values()]
    .filter((k) => k.backendName === backendName)
    .map((k) => k.kernelName)
    .sort();
}
