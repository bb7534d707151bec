import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul } from '../arithmetic';
import { greater, where } from '../compare';

/** d leakyRelu = dy·(x > 0 ? 1 : slope). NOTE: the slope at x = 0, as in PyTorch. */
export const leakyReluGradConfig: GradConfig = {
  kernelName: 'LeakyRelu',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x], attrs }) => [
    mul(dy, where(greater(x as Tensor, 0), 1, attrs.negativeSlope as number)),
  ],
};
