import type { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import { isDType } from '../tensor/dtype';
import { runKernel1 } from '../autograd/runKernel';

/**
 * e^x elementwise.
 *
 * @example
 * exp(tensor([0, 1]));   // [1, 2.718…]
 */
export function exp(x: Tensor): Tensor {
  return runKernel1('Exp', [x]);
}

/**
 * Natural logarithm elementwise (log 0 = −∞, negative → NaN, as in torch).
 *
 * @example
 * log(tensor([1, Math.E]));   // [0, 1]
 */
export function log(x: Tensor): Tensor {
  return runKernel1('Log', [x]);
}

/**
 * √x elementwise.
 *
 * @example
 * sqrt(tensor([4, 9]));   // [2, 3]
 */
export function sqrt(x: Tensor): Tensor {
  return runKernel1('Sqrt', [x]);
}

/**
 * x^p for a constant exponent p.
 *
 * @example
 * pow(tensor([2, 3]), 3);   // [8, 27]
 */
export function pow(x: Tensor, p: number): Tensor {
  if (!Number.isFinite(p)) throw new Error(`pow: the exponent must be a finite number, got ${p}.`);
  return runKernel1('Pow', [x], { exponent: p });
}

/**
 * |x| elementwise. NOTE: the gradient at 0 is 0 (sign(0) = 0), as in PyTorch.
 *
 * @example
 * abs(tensor([-1, 2]));   // [1, 2]
 */
export function abs(x: Tensor): Tensor {
  return runKernel1('Abs', [x]);
}

/**
 * sign(x) ∈ {−1, 0, 1}; its gradient is zero everywhere.
 *
 * @example
 * sign(tensor([-3, 0, 2]));   // [-1, 0, 1]
 */
export function sign(x: Tensor): Tensor {
  return runKernel1('Sign', [x]);
}

/**
 * Converts to another dtype; the gradient is cast back.
 *
 * @example
 * cast(tensor([1, 2]), 'float64');
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (!isDType(dtype)) throw new Error(`cast: unknown dtype "${String(dtype)}".`);
  if (x.dtype === dtype) return x;
  return runKernel1('Cast', [x], { dtype });
}
