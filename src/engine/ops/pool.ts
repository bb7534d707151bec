import type { Tensor } from '../tensor/tensor';
import { runKernel1 } from '../autograd/runKernel';
import type { Pair } from '../kernels/convInfo';
import { pair } from '../kernels/convInfo';

export interface Pool2dOptions {
  /** Step between windows (default: the kernel size, as in PyTorch). */
  stride?: Pair | null;
  /** Implicit padding on each side, at most half the kernel (default 0): −∞ for max, 0 for average. */
  padding?: Pair;
}

function poolAttrs(kernelSize: Pair, opts: Pool2dOptions, what: string): Record<string, [number, number]> {
  return {
    kernelSize: pair(kernelSize, `${what} kernel_size`),
    stride: pair(opts.stride ?? kernelSize, `${what} stride`),
    padding: pair(opts.padding ?? 0, `${what} padding`),
  };
}

/**
 * Max pooling over NCHW windows, as torch.nn.functional.max_pool2d (ceil_mode=False).
 * The gradient goes to the first maximum of each window (PyTorch's choice at ties).
 *
 * @example
 * maxPool2d(tensor([1, 2, 3, 4], [1, 1, 2, 2]), 2).toArray();   // [4]
 */
export function maxPool2d(x: Tensor, kernelSize: Pair, opts: Pool2dOptions & { dilation?: Pair } = {}): Tensor {
  return runKernel1('MaxPool2d', [x], {
    ...poolAttrs(kernelSize, opts, 'MaxPool2d'),
    dilation: pair(opts.dilation ?? 1, 'MaxPool2d dilation'),
  });
}

/**
 * Average pooling over NCHW windows, as torch.nn.functional.avg_pool2d (ceil_mode=False).
 * `countIncludePad` (default true, as in PyTorch) divides by the whole window, padding included.
 *
 * @example
 * avgPool2d(tensor([1, 2, 3, 4], [1, 1, 2, 2]), 2).toArray();   // [2.5]
 */
export function avgPool2d(
  x: Tensor,
  kernelSize: Pair,
  opts: Pool2dOptions & { countIncludePad?: boolean } = {},
): Tensor {
  return runKernel1('AvgPool2d', [x], {
    ...poolAttrs(kernelSize, opts, 'AvgPool2d'),
    countIncludePad: opts.countIncludePad ?? true,
  });
}
