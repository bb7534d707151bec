import type { Tensor } from '../tensor/tensor';
import { Optimizer } from './optimizer';
import { adamF32Simd, UPDATE_SIMD_MIN, type AdamCoefficients } from '../kernels/wasm/optimF32Simd';

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
    const { lr, beta1, beta2, eps, weightDecay: wd } = this;
    const c: AdamCoefficients = {
      decay: this.decoupled && wd !== 0 ? 1 - lr * wd : 1,
      l2: this.decoupled ? 0 : wd,
      beta1,
      beta2,
      stepSize: lr / (1 - Math.pow(beta1, t)),
      bc2Sqrt: Math.sqrt(1 - Math.pow(beta2, t)),
      eps,
    };
    this.params.forEach((p, i) => {
      if (p.grad === null) return;
      const x = p.data;
      const g = p.grad.data;
      const m = this.buffer('exp_avg', i, true) as Float32Array | Float64Array;
      const v = this.buffer('exp_avg_sq', i, true) as Float32Array | Float64Array;
      const n = p.size;
      if (
        n >= UPDATE_SIMD_MIN &&
        x instanceof Float32Array &&
        g instanceof Float32Array &&
        m instanceof Float32Array &&
        v instanceof Float32Array &&
        adamF32Simd(x, g, m, v, n, c)
      ) {
        return;
      }
      adamUpdateJs(x, g, m, v, n, c);
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

/**
 * Adam's update of one parameter x[0:n] in JS (float64 arithmetic, rounded where a float32 array
 * is stored): AdamW's decay first (c.decay ≠ 1), then the moments and the step. The float64
 * path, small float32 parameters, and the twin of kernels/wasm/optimF32Simd.ts's kernel (tested bit for bit).
 */
export function adamUpdateJs(
  x: Float32Array | Float64Array,
  g: Float32Array | Float64Array,
  m: Float32Array | Float64Array,
  v: Float32Array | Float64Array,
  n: number,
  c: AdamCoefficients,
): void {
  const { decay, l2, beta1: b1, beta2: b2, stepSize, bc2Sqrt, eps } = c;
  if (decay !== 1) for (let j = 0; j < n; j++) x[j] *= decay;
  for (let j = 0; j < n; j++) {
    const gj = g[j] + l2 * x[j];
    m[j] = b1 * m[j] + (1 - b1) * gj;
    v[j] = b2 * v[j] + (1 - b2) * gj * gj;
    x[j] -= (stepSize * m[j]) / (Math.sqrt(v[j]) / bc2Sqrt + eps);
  }
}
