import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { runKernel1 } from '../../autograd/runKernel';

/** d tanh = dy·(1 − tanh²), one fused pass over the saved output (TanhGrad). */
export const tanhGradConfig: GradConfig = {
  kernelName: 'Tanh',
  outputsToSave: [0],
  gradFunc: ([dy], { outputs: [y] }) => [runKernel1('TanhGrad', [y as Tensor, dy])],
};
