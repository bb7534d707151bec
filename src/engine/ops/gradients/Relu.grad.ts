import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { runKernel1 } from '../../autograd/runKernel';

/**
 * d relu = dy·[x > 0], one fused pass (ReluGrad). NOTE: relu'(0) = 0, as in PyTorch
 * (threshold_backward uses x > 0).
 */
export const reluGradConfig: GradConfig = {
  kernelName: 'Relu',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x] }) => [runKernel1('ReluGrad', [x as Tensor, dy])],
};
