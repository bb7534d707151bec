import type { Tensor } from '../tensor/tensor';
import { normalizeAxis } from '../tensor/shape';
import { runKernel1 } from '../autograd/runKernel';

/**
 * max(x, 0). NOTE: relu'(0) = 0, as in PyTorch.
 *
 * @example
 * relu(tensor([-1, 0, 2]));   // [0, 0, 2]
 */
export function relu(x: Tensor): Tensor {
  return runKernel1('Relu', [x]);
}

/**
 * x for x > 0, slope·x otherwise (torch default slope 0.01). NOTE: the derivative at 0 is the slope, as in PyTorch.
 *
 * @example
 * leakyRelu(tensor([-1, 2]), 0.1);   // [-0.1, 2]
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return runKernel1('LeakyRelu', [x], { negativeSlope });
}

/**
 * 1 / (1 + e^−x), computed without overflow.
 *
 * @example
 * sigmoid(tensor([0]));   // [0.5]
 */
export function sigmoid(x: Tensor): Tensor {
  return runKernel1('Sigmoid', [x]);
}

/**
 * log(1 + e^x), computed stably; its derivative is σ(x) (no kink).
 *
 * @example
 * softplus(tensor([0]));   // [log 2]
 */
export function softplus(x: Tensor): Tensor {
  return runKernel1('Softplus', [x]);
}

/**
 * Hyperbolic tangent.
 *
 * @example
 * tanh(tensor([0]));   // [0]
 */
export function tanh(x: Tensor): Tensor {
  return runKernel1('Tanh', [x]);
}

/**
 * e^{x_i} / Σ_j e^{x_j} along `axis` (max subtracted first).
 *
 * @example
 * softmax(tensor([[1, 2, 3]]));   // rows sum to 1
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  return runKernel1('Softmax', [x], { axis: normalizeAxis(axis, x.rank) });
}

/**
 * x_i − log Σ_j e^{x_j} along `axis`, stable.
 *
 * @example
 * logSoftmax(tensor([[1, 2, 3]]));
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return runKernel1('LogSoftmax', [x], { axis: normalizeAxis(axis, x.rank) });
}

/**
 * log Σ e^{x} along `axis`, stable; keepDims keeps the axis with size 1.
 *
 * @example
 * logSumExp(tensor([[0, 0]]));   // [log 2]
 */
export function logSumExp(x: Tensor, axis = -1, keepDims = false): Tensor {
  const ax = normalizeAxis(axis, x.rank);
  const out = runKernel1('LogSumExp', [x], { axis: ax });
  if (keepDims) return out;
  return runKernel1('Reshape', [out], { shape: x.shape.filter((_, i) => i !== ax) });
}
