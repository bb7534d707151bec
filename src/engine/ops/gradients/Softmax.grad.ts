import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul, sub } from '../arithmetic';
import { sum } from '../reduce';

/** dx = y ⊙ (dy − Σ_axis dy ⊙ y). */
export const softmaxGradConfig: GradConfig = {
  kernelName: 'Softmax',
  outputsToSave: [0],
  gradFunc: ([dy], { outputs: [y], attrs }) => {
    const ty = y as Tensor;
    return [mul(ty, sub(dy, sum(mul(dy, ty), attrs.axis as number, true)))];
  },
};
