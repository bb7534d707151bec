import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul } from '../arithmetic';
import { greater } from '../compare';

/** d relu = dy·[x > 0]. NOTE: relu'(0) = 0, as in PyTorch (threshold_backward uses x > 0). */
export const reluGradConfig: GradConfig = {
  kernelName: 'Relu',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x] }) => [mul(dy, greater(x as Tensor, 0))],
};
