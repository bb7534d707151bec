import { scalar } from '../tensor/create';
import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { Module } from './module';

/**
 * One learnable number (a 0-d tensor), named `value`: the Parameter node of hand-sized
 * computational graphs, f(x, y, z) = (x + y)·z with y and z learned. In PyTorch it is a module
 * holding `nn.Parameter(torch.tensor(init))`, so state dicts agree by name.
 *
 * @example
 * const z = new ScalarParameter(-4);
 * z.forward().item();   // -4; z.value.grad after backward
 */
export class ScalarParameter extends Module {
  readonly value: Tensor;

  constructor(init: number, opts: { dtype?: DType } = {}) {
    super();
    if (!Number.isFinite(init)) throw new Error(`ScalarParameter: the initial value must be finite, got ${init}.`);
    this.value = this.registerParameter('value', scalar(init, { dtype: opts.dtype ?? 'float32' }));
  }

  forward(): Tensor {
    return this.value;
  }
}
