import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul, sub } from '../arithmetic';

/** d tanh = dy·(1 − tanh²) (reuses the output). */
export const tanhGradConfig: GradConfig = {
  kernelName: 'Tanh',
  outputsToSave: [0],
  gradFunc: ([dy], { outputs: [y] }) => [mul(dy, sub(1, mul(y as Tensor, y as Tensor)))],
};
