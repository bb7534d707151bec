import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul } from '../arithmetic';
import { sign } from '../unary';

/** d|x| = dy·sign(x). NOTE: 0 at x = 0, as in PyTorch. */
export const absGradConfig: GradConfig = {
  kernelName: 'Abs',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x] }) => [mul(dy, sign(x as Tensor))],
};
