import type { Tensor } from '../tensor/tensor';
import { Optimizer } from './optimizer';
import { sgdF32Simd, UPDATE_SIMD_MIN, type SgdCoefficients } from '../kernels/wasm/optimF32Simd';

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/**
 * torch.optim.SGD (1.13 update rule), per parameter p with gradient g:
 *   g ← g + wd·p;
 *   with momentum μ: b ← g on the first step, else b ← μ·b + (1 − dampening)·g;
 *                   g ← g + μ·b (Nesterov) or g ← b;
 *   p ← p − lr·g.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); backward(loss); opt.step();
 */
export class SGD extends Optimizer {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;

  constructor(params: readonly Tensor[], opts: SGDOptions) {
    super(params);
    this.lr = opts.lr;
    this.momentum = opts.momentum ?? 0;
    this.dampening = opts.dampening ?? 0;
    this.nesterov = opts.nesterov ?? false;
    this.weightDecay = opts.weightDecay ?? 0;
    this.validate();
  }

  private validate(): void {
    if (!(this.lr >= 0)) throw new Error(`SGD: invalid learning rate ${this.lr}.`);
    if (!(this.momentum >= 0)) throw new Error(`SGD: invalid momentum ${this.momentum}.`);
    if (!(this.weightDecay >= 0)) throw new Error(`SGD: invalid weight decay ${this.weightDecay}.`);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new Error('SGD: Nesterov momentum requires a momentum > 0 and zero dampening.');
    }
  }

  protected get type(): string {
    return 'SGD';
  }

  step(): void {
    this.steps++;
    const { momentum: mu } = this;
    this.params.forEach((p, i) => {
      if (p.grad === null) return;
      const x = p.data;
      const g = p.grad.data;
      const n = p.size;
      const fresh = mu !== 0 && this.buffer('momentum_buffer', i, false) === null;
      const b = mu === 0 ? null : this.buffer('momentum_buffer', i, true);
      if (
        n >= UPDATE_SIMD_MIN &&
        x instanceof Float32Array &&
        g instanceof Float32Array &&
        (b === null || b instanceof Float32Array) &&
        sgdF32Simd(x, g, b, fresh, n, this)
      ) {
        return;
      }
      sgdUpdateJs(x, g, b, fresh, n, this);
    });
  }

  protected options(): Record<string, number | boolean> {
    return {
      lr: this.lr,
      momentum: this.momentum,
      dampening: this.dampening,
      nesterov: this.nesterov,
      weightDecay: this.weightDecay,
    };
  }

  protected setOptions(o: Record<string, number | boolean>): void {
    this.lr = Number(o.lr);
    this.momentum = Number(o.momentum);
    this.dampening = Number(o.dampening);
    this.nesterov = o.nesterov === true;
    this.weightDecay = Number(o.weightDecay);
    this.validate();
  }
}

/**
 * SGD's update of one parameter x[0:n] in JS (float64 arithmetic; a float32 x or b rounds where
 * it is stored): the float64 path, small float32 parameters, and the twin that
 * kernels/wasm/optimF32Simd.ts's kernel is tested against bit for bit. b: the momentum buffer (null without
 * momentum), `fresh` on its first step.
 */
export function sgdUpdateJs(
  x: Float32Array | Float64Array,
  g: Float32Array | Float64Array,
  b: Float32Array | Float64Array | null,
  fresh: boolean,
  n: number,
  c: SgdCoefficients,
): void {
  const { lr, momentum: mu, dampening, nesterov, weightDecay: wd } = c;
  if (b === null) {
    for (let j = 0; j < n; j++) x[j] -= lr * (g[j] + wd * x[j]);
    return;
  }
  for (let j = 0; j < n; j++) {
    const d = g[j] + wd * x[j];
    const bj = fresh ? d : mu * b[j] + (1 - dampening) * d;
    b[j] = bj;
    x[j] -= lr * (nesterov ? d + mu * b[j] : b[j]);
  }
}
