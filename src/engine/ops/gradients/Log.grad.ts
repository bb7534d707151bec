import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { div } from '../arithmetic';

/** d log x = dy/x. */
export const logGradConfig: GradConfig = {
  kernelName: 'Log',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x] }) => [div(dy, x as Tensor)],
};
