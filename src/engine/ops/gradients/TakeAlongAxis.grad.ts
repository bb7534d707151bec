import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { runKernel1 } from '../../autograd/runKernel';

/** dx = dy scattered (added) back along the axis. */
export const takeAlongAxisGradConfig: GradConfig = {
  kernelName: 'TakeAlongAxis',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x], attrs }) => [
    runKernel1('ScatterAlongAxis', [dy], {
      axis: attrs.axis,
      indices: attrs.indices,
      size: (x as Tensor).shape[attrs.axis as number],
    }),
  ],
};
