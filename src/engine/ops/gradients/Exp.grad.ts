import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul } from '../arithmetic';

/** d e^x = dy·e^x (reuses the output). */
export const expGradConfig: GradConfig = {
  kernelName: 'Exp',
  outputsToSave: [0],
  gradFunc: ([dy], { outputs: [y] }) => [mul(dy, y as Tensor)],
};
