import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul, sub } from '../arithmetic';
import { sumToShape } from '../reduce';
import { greaterEqual } from '../compare';

/** The gradient goes to the larger operand (to a at ties). */
export const maximumGradConfig: GradConfig = {
  kernelName: 'Maximum',
  inputsToSave: [0, 1],
  gradFunc: ([dy], { inputs: [a, b] }) => {
    const m = greaterEqual(a as Tensor, b as Tensor);
    return [sumToShape(mul(dy, m), (a as Tensor).shape), sumToShape(mul(dy, sub(1, m)), (b as Tensor).shape)];
  },
};
