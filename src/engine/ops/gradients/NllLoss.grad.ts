import type { GradConfig } from '../../autograd/gradRegistry';
import { runKernel1 } from '../../autograd/runKernel';
import type { Tensor } from '../../tensor/tensor';

/** dx: zeros, −dy/N (mean) or −dy (sum) at each row's class, by the backward-only NllLossGrad kernel. */
export const nllLossGradConfig: GradConfig = {
  kernelName: 'NllLoss',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x], attrs }) => [
    runKernel1('NllLossGrad', [dy], {
      indices: attrs.indices,
      reduction: attrs.reduction,
      classes: (x as Tensor).shape[1],
    }),
  ],
};
