import type { Tensor } from '../tensor/tensor';
import { shapeToString } from '../tensor/shape';
import { runKernel1 } from '../autograd/runKernel';

/**
 * Matrix product of the last two axes: op(a) · op(b), op = transpose when the flag is set.
 * Leading (batch) axes must be equal, or one operand must be 2-D (it is shared by the batch).
 *
 * @example
 * matmul(x, w, false, true);   // x [N, in] · wᵀ, w [out, in] → [N, out] (torch Linear)
 */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  if (a.rank < 2 || b.rank < 2) {
    throw new Error(`matmul needs operands of rank ≥ 2, got ${shapeToString(a.shape)} and ${shapeToString(b.shape)}.`);
  }
  return runKernel1('MatMul', [a, b], { transposeA, transposeB });
}

/**
 * x·Wᵀ + b for x [N, in], W [out, in], b [out] in one kernel call (torch.nn.functional.linear),
 * with the bits of matmul(x, w, false, true) then add(…, b).
 *
 * @example
 * linear(x, fc.weight, fc.bias);   // [N, out]
 */
export function linear(x: Tensor, w: Tensor, b: Tensor): Tensor {
  return runKernel1('Linear', [x, w, b]);
}
