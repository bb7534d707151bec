import type { Tensor } from '../tensor/tensor';
import { scalar } from '../tensor/create';

/** A tensor, or a plain number that becomes a scalar of the other operand's dtype. */
export type Operand = Tensor | number;

export function asTensor(x: Operand, like: Operand): Tensor {
  if (typeof x !== 'number') return x;
  const dtype = typeof like === 'number' ? 'float32' : like.dtype;
  return scalar(x, { dtype });
}
