import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul, sub } from '../arithmetic';
import { sum } from '../reduce';
import { exp } from '../unary';

/** dx = dy − softmax(x) ⊙ Σ_axis dy, with softmax = e^y. */
export const logSoftmaxGradConfig: GradConfig = {
  kernelName: 'LogSoftmax',
  outputsToSave: [0],
  gradFunc: ([dy], { outputs: [y], attrs }) => [sub(dy, mul(exp(y as Tensor), sum(dy, attrs.axis as number, true)))],
};
