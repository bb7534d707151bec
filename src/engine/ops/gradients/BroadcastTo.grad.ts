import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { sumToShape } from '../reduce';

/** dx = dy summed over the broadcast axes. */
export const broadcastToGradConfig: GradConfig = {
  kernelName: 'BroadcastTo',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x] }) => [sumToShape(dy, (x as Tensor).shape)],
};
