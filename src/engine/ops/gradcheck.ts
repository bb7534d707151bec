import type { Tensor } from '../tensor/tensor';
import { tidy } from '../tensor/scope';
import { Rng } from '../tensor/rng';
import { shapeToString } from '../tensor/shape';
import { grad } from '../autograd/backward';
import { noGrad } from '../autograd/gradMode';
import { tensor } from '../tensor/create';

export interface GradCheckOptions {
  /** Central-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Seed of the random output projection (default 1). */
  seed?: number;
}

export interface GradCheckResult {
  ok: boolean;
  /** max over elements of |a − n| − (atol + rtol·|n|); ≤ 0 means every element passed. */
  worstExcess: number;
  /** Human-readable description of the first failures. */
  failures: string[];
}

/**
 * The central difference of `loss` in the entry `index` of `data`:
 * (L(x + h·e_i) − L(x − h·e_i)) / (2h). The entry is perturbed in place and restored, even
 * when `loss` throws. The one numerical derivative of the engine: {@link gradCheck} uses it on
 * an op's inputs, runtime/gradCheck on a graph's edges and parameters.
 *
 * @example
 * const x = Float64Array.of(3);
 * centralDifference(x, 0, 1e-6, () => x[0] * x[0]); // ≈ 6
 */
export function centralDifference(data: { [i: number]: number }, index: number, h: number, loss: () => number): number {
  const orig = data[index];
  try {
    data[index] = orig + h;
    const lp = loss();
    data[index] = orig - h;
    const lm = loss();
    return (lp - lm) / (2 * h);
  } finally {
    data[index] = orig;
  }
}

/**
 * Compares autograd gradients of `f` with float64 central differences.
 *
 * The output is projected on a fixed random tensor r (L = Σ f(x) ⊙ r), so every output
 * element contributes; then for every element x_i of every input,
 * n_i = (L(x + eps·e_i) − L(x − eps·e_i)) / (2·eps) and the analytic a_i must satisfy
 * |a_i − n_i| ≤ atol + rtol·|n_i|. Inputs must be float64 tensors with requiresGrad.
 *
 * @example
 * const x = tensor([0.3, -1.2], undefined, { dtype: 'float64', requiresGrad: true });
 * expect(gradCheck((t) => tanh(t), [x]).ok).toBe(true);
 */
export function gradCheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  opts: GradCheckOptions = {},
): GradCheckResult {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  inputs.forEach((x, i) => {
    if (x.dtype !== 'float64') throw new Error(`gradCheck: input ${i} is ${x.dtype}; gradient checks run in float64.`);
    if (!x.requiresGrad) throw new Error(`gradCheck: input ${i} ${shapeToString(x.shape)} must have requiresGrad.`);
  });
  const rng = new Rng(opts.seed ?? 1);
  return tidy(() => {
    const y = f(...inputs);
    const r = Array.from({ length: y.size }, () => rng.uniform(-1, 1));
    const rT = tensor(r, y.shape, { dtype: 'float64' });
    const analytic = grad([y], inputs, [rT]).map((g) => g.toArray());
    const lossAt = (): number =>
      tidy(() => {
        const out = noGrad(() => f(...inputs));
        let s = 0;
        const d = out.data;
        for (let i = 0; i < out.size; i++) s += d[i] * r[i];
        return s;
      });
    const failures: string[] = [];
    let worst = -Infinity;
    inputs.forEach((x, k) => {
      const d = x.data;
      for (let i = 0; i < x.size; i++) {
        const n = centralDifference(d, i, eps, lossAt);
        const a = analytic[k][i];
        const excess = Math.abs(a - n) - (atol + rtol * Math.abs(n));
        if (!(excess <= worst) || Number.isNaN(excess))
          worst = Number.isNaN(excess) ? Infinity : Math.max(worst, excess);
        if (!(excess <= 0) && failures.length < 10) {
          failures.push(`input ${k} ${shapeToString(x.shape)} element ${i}: analytic ${a}, numeric ${n}`);
        }
      }
    });
    return { ok: failures.length === 0, worstExcess: worst, failures };
  });
}
