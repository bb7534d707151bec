import type { Tensor } from '../tensor/tensor';
import { flatten } from '../ops/shape';
import { Module } from './module';

/**
 * torch.nn.Flatten(start_dim = 1): [N, C, H, W] → [N, C·H·W].
 *
 * @example
 * new Flatten().forward(zeros([2, 3, 4]));   // [2, 12]
 */
export class Flatten extends Module {
  constructor(readonly startDim = 1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim);
  }
}
