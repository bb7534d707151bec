import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { runKernel1 } from '../../autograd/runKernel';

/** dσ = dy·σ·(1 − σ), one fused pass over the saved output (SigmoidGrad). */
export const sigmoidGradConfig: GradConfig = {
  kernelName: 'Sigmoid',
  outputsToSave: [0],
  gradFunc: ([dy], { outputs: [y] }) => [runKernel1('SigmoidGrad', [y as Tensor, dy])],
};
