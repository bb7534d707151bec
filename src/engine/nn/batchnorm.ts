import type { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import { ones, zeros } from '../tensor/create';
import { shapeToString } from '../tensor/shape';
import { add, div, mul, square, sub } from '../ops/arithmetic';
import { sqrt } from '../ops/unary';
import { mean } from '../ops/reduce';
import { reshape, detach } from '../ops/shape';
import { Module } from './module';

export interface BatchNormOptions {
  eps?: number;
  /** Weight of the new batch in the running averages (default 0.1); null: cumulative average. */
  momentum?: number | null;
  /** Learnable weight (init 1) and bias (init 0). Default true. */
  affine?: boolean;
  /** Keep running_mean / running_var and use them in eval mode. Default true. */
  trackRunningStats?: boolean;
  dtype?: DType;
}

/**
 * Batch normalisation over every axis but the channel axis 1, as torch.nn.BatchNorm1d/2d:
 * in training mode y = (x − mean) / √(var + eps) · weight + bias with the batch's biased
 * variance, and the running statistics move by `momentum` toward the batch's mean and
 * *unbiased* variance; in eval mode the running statistics are used instead.
 * Buffers running_mean (0), running_var (1), num_batches_tracked (0) are saved with the state.
 */
export class BatchNorm extends Module {
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;

  constructor(
    readonly numFeatures: number,
    private readonly ranks: readonly number[],
    private readonly what: string,
    opts: BatchNormOptions = {},
  ) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1)
      throw new Error(`${what}: num_features must be a positive integer, got ${numFeatures}.`);
    const dtype = opts.dtype ?? 'float32';
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    const affine = opts.affine ?? true;
    this.weight = affine ? this.registerParameter('weight', ones([numFeatures], { dtype })) : null;
    this.bias = affine ? this.registerParameter('bias', zeros([numFeatures], { dtype })) : null;
    const track = opts.trackRunningStats ?? true;
    this.runningMean = track ? this.registerBuffer('running_mean', zeros([numFeatures], { dtype })) : null;
    this.runningVar = track ? this.registerBuffer('running_var', ones([numFeatures], { dtype })) : null;
    this.numBatchesTracked = track ? this.registerBuffer('num_batches_tracked', zeros([], { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    if (!this.ranks.includes(x.rank) || x.shape[1] !== this.numFeatures) {
      const want = this.ranks.map((r) => (r === 2 ? '[N, C]' : r === 3 ? '[N, C, L]' : '[N, C, H, W]')).join(' or ');
      throw new Error(
        `${this.what}(${this.numFeatures}): expected an input ${want} with C = ${this.numFeatures}, got ${shapeToString(x.shape)}.`,
      );
    }
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    // [C] → [1, C, 1, …] to broadcast against x.
    const bshape = x.shape.map((d, i) => (i === 1 ? d : 1));
    const useBatch = this.training || this.runningMean === null;
    let m: Tensor;
    let v: Tensor;
    if (useBatch) {
      const count = x.size / this.numFeatures;
      if (this.training && count <= 1) {
        throw new Error(
          `${this.what}: training needs more than 1 value per channel, got input ${shapeToString(x.shape)}.`,
        );
      }
      m = mean(x, axes, true);
      v = mean(square(sub(x, m)), axes, true);
      if (this.training && this.runningMean && this.runningVar && this.numBatchesTracked) {
        this.updateRunningStats(detach(m), detach(v), count);
      }
    } else {
      m = reshape(this.runningMean as Tensor, bshape);
      v = reshape(this.runningVar as Tensor, bshape);
    }
    // NOTE: eps goes inside the square root (torch), which also keeps a constant channel finite.
    let y = div(sub(x, m), sqrt(add(v, this.eps)));
    if (this.weight && this.bias) y = add(mul(y, reshape(this.weight, bshape)), reshape(this.bias, bshape));
    return y;
  }

  private updateRunningStats(m: Tensor, v: Tensor, count: number): void {
    const nbt = this.numBatchesTracked as Tensor;
    nbt.data[0] += 1;
    const f = this.momentum === null ? 1 / nbt.data[0] : this.momentum;
    const rm = (this.runningMean as Tensor).data;
    const rv = (this.runningVar as Tensor).data;
    const md = m.data;
    const vd = v.data;
    // NOTE: the running variance uses the unbiased estimate (n / (n − 1)), the normalisation the biased one — as torch.
    const unbias = count / (count - 1);
    for (let c = 0; c < this.numFeatures; c++) {
      rm[c] = (1 - f) * rm[c] + f * md[c];
      rv[c] = (1 - f) * rv[c] + f * vd[c] * unbias;
    }
  }
}

/**
 * torch.nn.BatchNorm1d: input [N, C] or [N, C, L].
 *
 * @example
 * const bn = new BatchNorm1d(3);
 * bn.forward(x);          // training: batch statistics, running stats updated
 * bn.eval().forward(x);   // eval: running statistics
 */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super(numFeatures, [2, 3], 'BatchNorm1d', opts);
  }
}

/**
 * torch.nn.BatchNorm2d: input [N, C, H, W].
 *
 * @example
 * new BatchNorm2d(8).forward(x);   // x [32, 8, 26, 26]
 */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super(numFeatures, [4], 'BatchNorm2d', opts);
  }
}
