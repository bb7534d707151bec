import type { GradConfig } from '../../autograd/gradRegistry';
import { runKernel1 } from '../../autograd/runKernel';
import type { Tensor } from '../../tensor/tensor';

/** Each output gradient spreads evenly over its window (divided as in the forward). */
export const avgPool2dGradConfig: GradConfig = {
  kernelName: 'AvgPool2d',
  inputsToSave: [0],
  gradFunc: ([dy], saved) => [
    runKernel1('AvgPool2dBackward', [dy], { ...saved.attrs, xShape: [...(saved.inputs[0] as Tensor).shape] }),
  ],
};

/** AvgPool2dBackward is linear in dy; its adjoint is the average pooling itself. */
export const avgPool2dBackwardGradConfig: GradConfig = {
  kernelName: 'AvgPool2dBackward',
  gradFunc: ([g], saved) => [runKernel1('AvgPool2d', [g], saved.attrs)],
};
