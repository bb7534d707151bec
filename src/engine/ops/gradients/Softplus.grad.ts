import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul } from '../arithmetic';
import { sigmoid } from '../activation';

/** d softplus = dy·σ(x). */
export const softplusGradConfig: GradConfig = {
  kernelName: 'Softplus',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x] }) => [mul(dy, sigmoid(x as Tensor))],
};
