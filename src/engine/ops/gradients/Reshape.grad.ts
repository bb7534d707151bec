import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { reshape } from '../shape';

/** dx = dy reshaped back. */
export const reshapeGradConfig: GradConfig = {
  kernelName: 'Reshape',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x] }) => [reshape(dy, (x as Tensor).shape)],
};
