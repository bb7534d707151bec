import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul, div } from '../arithmetic';

/** d √x = dy/(2√x). NOTE: infinite at x = 0, as in torch. */
export const sqrtGradConfig: GradConfig = {
  kernelName: 'Sqrt',
  outputsToSave: [0],
  gradFunc: ([dy], { outputs: [y] }) => [div(dy, mul(y as Tensor, 2))],
};
