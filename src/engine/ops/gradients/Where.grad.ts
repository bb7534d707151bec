import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { sumToShape } from '../reduce';
import { where } from '../compare';

/** The mask gets no gradient; a gets dy where the mask is set, b elsewhere. */
export const whereGradConfig: GradConfig = {
  kernelName: 'Where',
  inputsToSave: [0, 1, 2],
  gradFunc: ([dy], { inputs: [c, a, b] }) => {
    const cond = c as Tensor;
    return [
      null,
      sumToShape(where(cond, dy, 0), (a as Tensor).shape),
      sumToShape(where(cond, 0, dy), (b as Tensor).shape),
    ];
  },
};
