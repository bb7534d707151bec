import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul, sub } from '../arithmetic';

/** dσ = dy·σ·(1 − σ) (reuses the output). */
export const sigmoidGradConfig: GradConfig = {
  kernelName: 'Sigmoid',
  outputsToSave: [0],
  gradFunc: ([dy], { outputs: [y] }) => [mul(dy, mul(y as Tensor, sub(1, y as Tensor)))],
};
