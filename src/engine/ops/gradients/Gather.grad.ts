import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { runKernel1 } from '../../autograd/runKernel';

/** dx = dy scatter-added to the selected positions (repeated indices accumulate). */
export const gatherGradConfig: GradConfig = {
  kernelName: 'Gather',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x], attrs }) => [
    runKernel1('ScatterAdd', [dy], {
      axis: attrs.axis,
      indices: attrs.indices,
      size: (x as Tensor).shape[attrs.axis as number],
    }),
  ],
};
