import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul } from '../arithmetic';
import { sumToShape } from '../reduce';

/** d(a·b) = (dy·b, dy·a), reduced over broadcast axes. */
export const mulGradConfig: GradConfig = {
  kernelName: 'Mul',
  inputsToSave: [0, 1],
  gradFunc: ([dy], { inputs: [a, b] }) => [
    sumToShape(mul(dy, b as Tensor), (a as Tensor).shape),
    sumToShape(mul(dy, a as Tensor), (b as Tensor).shape),
  ],
};
