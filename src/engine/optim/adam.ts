import type { Tensor } from '../tensor/tensor';
import { Optimizer } from './optimizer';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
}

/**
 * torch.optim.Adam (1.13 update rule), t = step count:
 *   g ← g + wd·p (L2 penalty); m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
 *   p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps).
 *
 * @example
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends Optimizer {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW decouples weight decay: p ← p·(1 − lr·wd) before the Adam step, no L2 term in g. */
  protected readonly decoupled: boolean = false;

  constructor(params: readonly Tensor[], opts: AdamOptions = {}, defaultWeightDecay = 0) {
    super(params);
    this.lr = opts.lr ?? 1e-3;
    [this.beta1, this.beta2] = opts.betas ?? [0.9, 0.999];
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? defaultWeightDecay;
    this.validate();
  }

  private validate(): void {
    if (!(this.lr >= 0)) throw new Error(`${this.type}: invalid learning rate ${this.lr}.`);
    if (!(this.beta1 >= 0 && this.beta1 < 1 && this.beta2 >= 0 && this.beta2 < 1)) {
      throw new Error(`${this.type}: betas must be in [0, 1), got ${this.beta1}, ${this.beta2}.`);
    }
    if (!(this.eps >= 0)) throw new Error(`${this.type}: invalid eps ${this.eps}.`);
    if (!(this.weightDecay >= 0)) throw new Error(`${this.type}: invalid weight decay ${this.weightDecay}.`);
  }

  protected get type(): string {
    return 'Adam';
  }

  step(): void {
    this.steps++;
    const t = this.steps;
    const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd } = this;
    const stepSize = lr / (1 - Math.pow(b1, t));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
    this.params.forEach((p, i) => {
      if (p.grad === null) return;
      const x = p.data;
      const g = p.grad.data;
      const m = this.buffer('exp_avg', i, true) as Float32Array | Float64Array;
      const v = this.buffer('exp_avg_sq', i, true) as Float32Array | Float64Array;
      const n = p.size;
      if (this.decoupled && wd !== 0) for (let j = 0; j < n; j++) x[j] *= 1 - lr * wd;
      const l2 = this.decoupled ? 0 : wd;
      for (let j = 0; j < n; j++) {
        const gj = g[j] + l2 * x[j];
        m[j] = b1 * m[j] + (1 - b1) * gj;
        v[j] = b2 * v[j] + (1 - b2) * gj * gj;
        x[j] -= (stepSize * m[j]) / (Math.sqrt(v[j]) / bc2Sqrt + eps);
      }
    });
  }

  protected options(): Record<string, number | boolean> {
    return { lr: this.lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay };
  }

  protected setOptions(o: Record<string, number | boolean>): void {
    this.lr = Number(o.lr);
    this.beta1 = Number(o.beta1);
    this.beta2 = Number(o.beta2);
    this.eps = Number(o.eps);
    this.weightDecay = Number(o.weightDecay);
    this.validate();
  }
}

/**
 * torch.optim.AdamW: decoupled weight decay (default 0.01), p ← p·(1 − lr·wd), then Adam
 * without the L2 term.
 *
 * @example
 * const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: readonly Tensor[], opts: AdamOptions = {}) {
    super(params, opts, 0.01);
  }

  protected override get type(): string {
    return 'AdamW';
  }
}
