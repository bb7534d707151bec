import type { Tensor } from '../tensor/tensor';
import { shapeToString } from '../tensor/shape';
import { add } from '../ops/arithmetic';
import { concat, reshape } from '../ops/shape';
import { Module } from './module';

/**
 * Reshapes every sample, keeping the batch axis: [N, …] → [N, ...shape] (one −1 allowed),
 * like `x.view(x.size(0), *shape)` in PyTorch. (Flatten lives in nn/flatten.)
 *
 * @example
 * new Reshape([1, 8, 8]).forward(x);   // x [N, 64] → [N, 1, 8, 8]
 */
export class Reshape extends Module {
  constructor(readonly shape: readonly number[]) {
    super();
    if (shape.some((d) => !Number.isInteger(d) || d < -1 || d === 0) || shape.filter((d) => d === -1).length > 1) {
      throw new Error(`Reshape: the target shape ${shapeToString(shape)} must hold positive sizes and at most one -1.`);
    }
  }

  forward(x: Tensor): Tensor {
    if (x.rank < 1) throw new Error('Reshape: the input needs a batch axis.');
    return reshape(x, [x.shape[0], ...this.shape]);
  }
}

/**
 * Concatenates its inputs along `dim` (torch.cat), default the feature axis 1 — e.g. the
 * forward and backward states of a bidirectional encoder.
 *
 * @example
 * new Concat(1).forward(a, b);   // [N, 3] and [N, 5] → [N, 8]
 */
export class Concat extends Module {
  constructor(readonly dim = 1) {
    super();
  }

  forward(...xs: Tensor[]): Tensor {
    if (xs.length === 0) throw new Error('Concat needs at least one input.');
    return concat(xs, this.dim);
  }
}

/**
 * Elementwise sum of its inputs with broadcasting (a residual connection).
 *
 * @example
 * new Add().forward(x, fx);   // x + f(x)
 */
export class Add extends Module {
  forward(...xs: Tensor[]): Tensor {
    if (xs.length === 0) throw new Error('Add needs at least one input.');
    return xs.slice(1).reduce((acc, t) => add(acc, t), xs[0]);
  }
}
