import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { mul } from '../arithmetic';
import { pow } from '../unary';

/** d x^p = dy·p·x^(p−1). */
export const powGradConfig: GradConfig = {
  kernelName: 'Pow',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x], attrs }) => {
    const p = attrs.exponent as number;
    if (p === 0) return [mul(dy, 0)];
    if (p === 1) return [dy];
    if (p === 2) return [mul(dy, mul(x as Tensor, 2))];
    return [mul(dy, mul(pow(x as Tensor, p - 1), p))];
  },
};
