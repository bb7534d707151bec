import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { cast } from '../unary';

/** dx = dy cast back to the input dtype. */
export const castGradConfig: GradConfig = {
  kernelName: 'Cast',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x] }) => [cast(dy, (x as Tensor).dtype)],
};
