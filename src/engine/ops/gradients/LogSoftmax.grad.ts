import type { GradConfig } from '../../autograd/gradRegistry';
import { runKernel1 } from '../../autograd/runKernel';
import type { Tensor } from '../../tensor/tensor';
import { mul, sub } from '../arithmetic';
import { sum } from '../reduce';
import { exp } from '../unary';

/**
 * dx = dy − softmax(x) ⊙ Σ_axis dy, with softmax = e^y. Along the last axis (class scores) one
 * fused kernel does it with the same bits (LogSoftmaxGrad); along another axis, the ops.
 */
export const logSoftmaxGradConfig: GradConfig = {
  kernelName: 'LogSoftmax',
  outputsToSave: [0],
  gradFunc: ([dy], { outputs: [y], attrs }) => {
    const ty = y as Tensor;
    const axis = attrs.axis as number;
    if (axis === ty.rank - 1 && ty.size > 0) return [runKernel1('LogSoftmaxGrad', [ty, dy], { axis })];
    return [sub(dy, mul(exp(ty), sum(dy, axis, true)))];
  },
};
