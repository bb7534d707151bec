import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul, sub } from '../arithmetic';
import { exp } from '../unary';

/** dx = dy ⊙ e^(x − lse) = dy ⊙ softmax(x) (the output keeps the axis, so it broadcasts). */
export const logSumExpGradConfig: GradConfig = {
  kernelName: 'LogSumExp',
  inputsToSave: [0],
  outputsToSave: [0],
  gradFunc: ([dy], { inputs: [x], outputs: [y] }) => [mul(dy, exp(sub(x as Tensor, y as Tensor)))],
};
