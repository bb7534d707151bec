import type { Tensor } from '../tensor/tensor';
import { runKernel1 } from '../autograd/runKernel';
import type { Operand } from './operand';
import { asTensor } from './operand';

/**
 * a + b with broadcasting. Numbers become scalars of the other operand's dtype.
 *
 * @example
 * add(tensor([[1, 2], [3, 4]]), tensor([10, 20]));   // [[11, 22], [13, 24]]
 */
export function add(a: Operand, b: Operand): Tensor {
  return runKernel1('Add', [asTensor(a, b), asTensor(b, a)]);
}

/**
 * a − b, composed as a + (−b) (only Add and Neg are primitives).
 *
 * @example
 * sub(tensor([3, 4]), 1);   // [2, 3]
 */
export function sub(a: Operand, b: Operand): Tensor {
  return add(a, neg(asTensor(b, a)));
}

/**
 * a · b elementwise with broadcasting.
 *
 * @example
 * mul(tensor([1, 2]), 3);   // [3, 6]
 */
export function mul(a: Operand, b: Operand): Tensor {
  return runKernel1('Mul', [asTensor(a, b), asTensor(b, a)]);
}

/**
 * a / b elementwise with broadcasting.
 *
 * @example
 * div(tensor([1, 2]), 2);   // [0.5, 1]
 */
export function div(a: Operand, b: Operand): Tensor {
  return runKernel1('Div', [asTensor(a, b), asTensor(b, a)]);
}

/**
 * −x.
 *
 * @example
 * neg(tensor([1, -2]));   // [-1, 2]
 */
export function neg(x: Tensor): Tensor {
  return runKernel1('Neg', [x]);
}

/**
 * x², as pow(x, 2).
 *
 * @example
 * square(tensor([3]));   // [9]
 */
export function square(x: Tensor): Tensor {
  return runKernel1('Pow', [x], { exponent: 2 });
}
