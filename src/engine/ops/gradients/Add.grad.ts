import type { Tensor } from '../../tensor/tensor';
import type { GradConfig } from '../../autograd/gradRegistry';
import { sumToShape } from '../reduce';

/** d(a+b) = (dy, dy), each summed over the axes it was broadcast along. */
export const addGradConfig: GradConfig = {
  kernelName: 'Add',
  inputsToSave: [0, 1],
  gradFunc: ([dy], { inputs: [a, b] }) => [sumToShape(dy, (a as Tensor).shape), sumToShape(dy, (b as Tensor).shape)],
};
