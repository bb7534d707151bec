import type { Tensor } from '../tensor/tensor';
import { runKernel1 } from '../autograd/runKernel';
import type { Operand } from './operand';
import { asTensor } from './operand';

/**
 * cond ≠ 0 ? a : b elementwise with broadcasting; cond is a 0/1 mask of the same dtype.
 * The gradient flows to a where the mask is set and to b elsewhere.
 *
 * @example
 * where(greater(x, 0), x, 0);   // relu by hand
 */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  const ta = asTensor(a, typeof b === 'number' ? cond : b);
  const tb = asTensor(b, ta);
  return runKernel1('Where', [
    cond.dtype === ta.dtype ? cond : runKernel1('Cast', [cond], { dtype: ta.dtype }),
    ta,
    tb,
  ]);
}

/**
 * 1 where a > b else 0 (no gradient).
 *
 * @example
 * greater(tensor([1, 3]), 2);   // [0, 1]
 */
export function greater(a: Operand, b: Operand): Tensor {
  return runKernel1('Greater', [asTensor(a, b), asTensor(b, a)]);
}

/**
 * 1 where a ≥ b else 0 (no gradient).
 *
 * @example
 * greaterEqual(tensor([1, 2]), 2);   // [0, 1]
 */
export function greaterEqual(a: Operand, b: Operand): Tensor {
  return runKernel1('GreaterEqual', [asTensor(a, b), asTensor(b, a)]);
}

/**
 * 1 where a = b else 0 (no gradient).
 *
 * @example
 * equal(tensor([1, 2]), 2);   // [0, 1]
 */
export function equal(a: Operand, b: Operand): Tensor {
  return runKernel1('Equal', [asTensor(a, b), asTensor(b, a)]);
}

/**
 * Elementwise maximum. NOTE: at ties the gradient goes to a (torch.maximum splits it in halves;
 * ties are kinks and excluded from gradient checks).
 *
 * @example
 * maximum(tensor([1, 5]), 3);   // [3, 5]
 */
export function maximum(a: Operand, b: Operand): Tensor {
  return runKernel1('Maximum', [asTensor(a, b), asTensor(b, a)]);
}

/**
 * Elementwise minimum (ties: the gradient goes to a).
 *
 * @example
 * minimum(tensor([1, 5]), 3);   // [1, 3]
 */
export function minimum(a: Operand, b: Operand): Tensor {
  return runKernel1('Minimum', [asTensor(a, b), asTensor(b, a)]);
}
