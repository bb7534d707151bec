import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { matmul } from '../matmul';
import { sum } from '../reduce';

/**
 * y = x·Wᵀ + b: dx = dy·W, dW = dyᵀ·x, db = dy summed over the batch: the kernel calls (and bits)
 * of the MatMul and Add gradients it replaces, only for the inputs that need a gradient.
 */
export const linearGradConfig: GradConfig = {
  kernelName: 'Linear',
  inputsToSave: [0, 1],
  gradFunc: ([dy], { inputs: [x, w], needsInputGrad }) => [
    needsInputGrad[0] ? matmul(dy, w as Tensor, false, false) : null,
    needsInputGrad[1] ? matmul(dy, x as Tensor, true, false) : null,
    needsInputGrad[2] ? sum(dy, [0]) : null,
  ],
};
