import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul, sub } from '../arithmetic';
import { sumToShape } from '../reduce';
import { greaterEqual } from '../compare';

/** The gradient goes to the smaller operand (to a at ties). */
export const minimumGradConfig: GradConfig = {
  kernelName: 'Minimum',
  inputsToSave: [0, 1],
  gradFunc: ([dy], { inputs: [a, b] }) => {
    const m = greaterEqual(b as Tensor, a as Tensor);
    return [sumToShape(mul(dy, m), (a as Tensor).shape), sumToShape(mul(dy, sub(1, m)), (b as Tensor).shape)];
  },
};
