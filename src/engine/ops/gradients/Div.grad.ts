import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul, div, neg } from '../arithmetic';
import { sumToShape } from '../reduce';

/** d(a/b) = (dy/b, −dy·a/b²), reduced over broadcast axes. */
export const divGradConfig: GradConfig = {
  kernelName: 'Div',
  inputsToSave: [0, 1],
  gradFunc: ([dy], { inputs: [a, b] }) => {
    const tb = b as Tensor;
    return [
      sumToShape(div(dy, tb), (a as Tensor).shape),
      sumToShape(neg(div(mul(dy, a as Tensor), mul(tb, tb))), tb.shape),
    ];
  },
};
