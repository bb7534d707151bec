import type { GradConfig } from '../../autograd/gradRegistry';
import { fusedOpsEnabled } from '../../autograd/gradMode';
import { runKernel } from '../../autograd/runKernel';
import { LINEAR_GRAD_ATTRS } from '../../kernels/LinearGrad';
import type { Tensor } from '../../tensor/tensor';
import { matmul } from '../matmul';
import { sum } from '../reduce';

/**
 * y = x·Wᵀ + b: dx = dy·W, dW = dyᵀ·x, db = dy summed over the batch, only for the inputs that
 * need a gradient: one LinearGrad kernel call, with the bits of the MatMul, MatMul and Sum calls
 * it replaces; those three calls while fused ops are off (the step session's tape).
 */
export const linearGradConfig: GradConfig = {
  kernelName: 'Linear',
  inputsToSave: [0, 1],
  gradFunc: (dys, saved) => {
    // Indexed, not destructured: this runs for every Linear layer of every backward pass.
    const dy = dys[0];
    const x = saved.inputs[0] as Tensor;
    const w = saved.inputs[1] as Tensor;
    const need = saved.needsInputGrad;
    const nx = need[0];
    const nw = need[1];
    const nb = need[2];
    if (!fusedOpsEnabled() || !(nx || nw || nb)) {
      return [
        nx ? matmul(dy, w, false, false) : null,
        nw ? matmul(dy, x, true, false) : null,
        nb ? sum(dy, [0]) : null,
      ];
    }
    const gs = runKernel('LinearGrad', [dy, x, w], LINEAR_GRAD_ATTRS[(nx ? 1 : 0) + (nw ? 2 : 0) + (nb ? 4 : 0)]);
    // The outputs are the asked ones, in the order dx, dW, db.
    const iw = nx ? 1 : 0;
    return [nx ? gs[0] : null, nw ? gs[iw] : null, nb ? gs[nw ? iw + 1 : iw] : null];
  },
};
