import type { Tensor } from '../tensor/tensor';
import { runKernel1 } from '../autograd/runKernel';
import type { Pair } from '../kernels/convInfo';
import { pair } from '../kernels/convInfo';

export interface Conv2dOptions {
  /** Step between windows (default 1). */
  stride?: Pair;
  /** Zeros added on each side (default 0). */
  padding?: Pair;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
}

function convAttrs(opts: Conv2dOptions): {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
} {
  return {
    stride: pair(opts.stride ?? 1, 'Conv2d stride'),
    padding: pair(opts.padding ?? 0, 'Conv2d padding'),
    dilation: pair(opts.dilation ?? 1, 'Conv2d dilation'),
  };
}

/**
 * 2-D convolution (cross-correlation), NCHW, as torch.nn.functional.conv2d with groups = 1.
 * x [N, C, H, W], weight [F, C, kH, kW], bias [F] (optional) → [N, F, outH, outW] with
 * outH = ⌊(H + 2·padding − dilation·(kH − 1) − 1) / stride⌋ + 1.
 *
 * @example
 * const x = randn([1, 1, 5, 5], rng);
 * const w = randn([4, 1, 3, 3], rng);
 * conv2d(x, w, null, { padding: 1 }).shape;   // [1, 4, 5, 5]
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new Error(
      `Conv2d: the bias must have shape [${weight.shape[0]}] (one per output channel), got [${bias.shape.join(', ')}].`,
    );
  }
  const inputs = bias === null ? [x, weight] : [x, weight, bias];
  return runKernel1('Conv2d', inputs, convAttrs(opts));
}

/**
 * The gradient of conv2d with respect to its input (a transposed convolution): dy [N, F, outH, outW]
 * and weight [F, C, kH, kW] → [N, C, H, W] for the given input shape. Differentiable.
 *
 * @example
 * conv2dBackpropInput(dy, w, [1, 1, 5, 5], { padding: 1 }).shape;   // [1, 1, 5, 5]
 */
export function conv2dBackpropInput(
  dy: Tensor,
  weight: Tensor,
  xShape: readonly number[],
  opts: Conv2dOptions = {},
): Tensor {
  return runKernel1('Conv2dBackpropInput', [dy, weight], { ...convAttrs(opts), xShape: [...xShape] });
}

/**
 * The gradient of conv2d with respect to its weight: x [N, C, H, W] and dy [N, F, outH, outW]
 * → [F, C, kH, kW] for the given weight shape. Differentiable.
 *
 * @example
 * conv2dBackpropFilter(x, dy, [4, 1, 3, 3], { padding: 1 }).shape;   // [4, 1, 3, 3]
 */
export function conv2dBackpropFilter(
  x: Tensor,
  dy: Tensor,
  weightShape: readonly number[],
  opts: Conv2dOptions = {},
): Tensor {
  return runKernel1('Conv2dBackpropFilter', [x, dy], { ...convAttrs(opts), weightShape: [...weightShape] });
}
