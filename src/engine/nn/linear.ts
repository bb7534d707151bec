import type { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import { randUniform } from '../tensor/create';
import type { Rng } from '../tensor/rng';
import { add } from '../ops/arithmetic';
import { linear, matmul } from '../ops/matmul';
import { fusedOpsEnabled } from '../autograd/gradMode';
import { shapeToString } from '../tensor/shape';
import { Module } from './module';

export interface LinearOptions {
  bias?: boolean;
  dtype?: DType;
}

/**
 * The bound of torch.nn.Linear's default initialisation for a given fan-in:
 * kaiming_uniform_(a = √5) gives gain √(2 / (1 + a²)) = √(1/3) and bound
 * √3 · gain / √fan_in = 1 / √fan_in; the bias uses U(−1/√fan_in, 1/√fan_in) too.
 */
export function linearInitBound(fanIn: number): number {
  return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
}

/**
 * y = x·Wᵀ + b (torch.nn.Linear): weight [out, in], bias [out], both drawn from
 * U(−1/√in, 1/√in) with `rng` (weight row-major first, then bias).
 *
 * @example
 * const fc = new Linear(2, 16, new Rng(0));
 * const y = fc.forward(x);   // x [N, 2] → [N, 16]
 */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    rng: Rng,
    opts: LinearOptions = {},
  ) {
    super();
    if (!Number.isInteger(inFeatures) || inFeatures < 1 || !Number.isInteger(outFeatures) || outFeatures < 1) {
      throw new Error(`Linear: in and out features must be positive integers, got ${inFeatures} and ${outFeatures}.`);
    }
    const b = linearInitBound(inFeatures);
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.registerParameter('weight', randUniform([outFeatures, inFeatures], -b, b, rng, { dtype }));
    this.bias =
      opts.bias === false ? null : this.registerParameter('bias', randUniform([outFeatures], -b, b, rng, { dtype }));
    if (this.bias === null) this.registerParameter('bias', null);
  }

  forward(x: Tensor): Tensor {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.inFeatures) {
      throw new Error(
        `Linear(${this.inFeatures}, ${this.outFeatures}): input shape ${shapeToString(x.shape)} must end with ${this.inFeatures}.`,
      );
    }
    const x2 = x.rank === 1 ? x.view([1, x.size]) : x;
    const w = this.weight;
    const b = this.bias;
    // NOTE: one Linear kernel call for MatMul then Add, with their bits (its tests compare them);
    // the step session's tape keeps the two ops.
    if (b !== null && x2.rank === 2 && x2.dtype === w.dtype && b.dtype === w.dtype && fusedOpsEnabled()) {
      const y = linear(x2, w, b);
      return x.rank === 1 ? y.view([this.outFeatures]) : y;
    }
    let y = matmul(x2, w, false, true);
    if (b !== null) y = add(y, b);
    return x.rank === 1 ? y.view([this.outFeatures]) : y;
  }
}
