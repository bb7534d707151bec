import { describe, it, expect } from 'vitest';
import {
  accumulateF32Simd,
  adamF32Simd,
  sgdF32Simd,
  type AdamCoefficients,
  type SgdCoefficients,
} from '../kernels/wasm/optimF32Simd';
import { sgdUpdateJs, SGD } from './sgd';
import { adamUpdateJs, Adam, AdamW } from './adam';
import { Rng } from '../tensor/rng';
import { tensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import type { Optimizer } from './optimizer';

// The JS loops are the twins: the WebAssembly updates must give the very same bits, with the
// special values (zeros of both signs, subnormals, infinities, the largest floats) included.
const specials = [-0, 0, 1e-45, -1e-45, 1.2e-38, 3.4e38, -3.4e38, Infinity, -Infinity];

function input(n: number, seed: number, lo = -2, hi = 2): Float32Array {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
  specials.forEach((v, i) => {
    if (i < n) x[(i * 7 + seed) % n] = v;
  });
  return x;
}

/** Indices where the bits differ (Object.is: NaN equals NaN, -0 differs from 0), at most 5. */
function mismatches(got: Float32Array, want: Float32Array): number[] {
  const bad: number[] = [];
  for (let i = 0; i < want.length && bad.length < 5; i++) if (!Object.is(got[i], want[i])) bad.push(i);
  return bad;
}

const SIZES = [1, 2, 3, 5, 257, 4099];

describe('WebAssembly SIMD optimizer updates equal the JS loops bit for bit', () => {
  const sgdCases: SgdCoefficients[] = [
    { lr: 0.1, weightDecay: 0, momentum: 0, dampening: 0, nesterov: false },
    { lr: 0.037, weightDecay: 1e-3, momentum: 0, dampening: 0, nesterov: false },
    { lr: 0.1, weightDecay: 0, momentum: 0.9, dampening: 0, nesterov: false },
    { lr: 0.05, weightDecay: 0.01, momentum: 0.8, dampening: 0.3, nesterov: false },
    { lr: 0.01, weightDecay: 5e-4, momentum: 0.9, dampening: 0, nesterov: true },
  ];
  for (const c of sgdCases) {
    it.each(SIZES)(`SGD ${JSON.stringify(c)}, %i elements, three steps`, (n) => {
      const x0 = input(n, n);
      const [xs, xj] = [x0.slice(), x0.slice()];
      const [bs, bj] = c.momentum === 0 ? [null, null] : [new Float32Array(n), new Float32Array(n)];
      for (let step = 0; step < 3; step++) {
        const g = input(n, 100 * step + n);
        expect(sgdF32Simd(xs, g, bs, step === 0, n, c)).toBe(true);
        sgdUpdateJs(xj, g, bj, step === 0, n, c);
        expect(mismatches(xs, xj), `x after step ${step}`).toEqual([]);
        if (bs !== null && bj !== null) expect(mismatches(bs, bj), `buffer after step ${step}`).toEqual([]);
      }
    });
  }

  const adamCases: [string, (t: number) => AdamCoefficients][] = [
    ['Adam', (t) => coefficients(1e-3, 0, false, t)],
    ['Adam with L2', (t) => coefficients(3e-3, 0.01, false, t)],
    ['AdamW', (t) => coefficients(1e-3, 0.01, true, t)],
  ];
  for (const [name, coeffs] of adamCases) {
    it.each(SIZES)(`${name}, %i elements, three steps`, (n) => {
      const x0 = input(n, n);
      const [xs, xj] = [x0.slice(), x0.slice()];
      const [ms, mj, vs, vj] = [0, 1, 2, 3].map(() => new Float32Array(n));
      for (let t = 1; t <= 3; t++) {
        const g = input(n, 100 * t + n);
        expect(adamF32Simd(xs, g, ms, vs, n, coeffs(t))).toBe(true);
        adamUpdateJs(xj, g, mj, vj, n, coeffs(t));
        expect(mismatches(xs, xj), `x after step ${t}`).toEqual([]);
        expect(mismatches(ms, mj), `m after step ${t}`).toEqual([]);
        expect(mismatches(vs, vj), `v after step ${t}`).toEqual([]);
      }
    });
  }

  it.each(SIZES)('gradient accumulation d += s, %i elements', (n) => {
    const d = input(n, n);
    const s = input(n, n + 1);
    const want = d.slice();
    for (let i = 0; i < n; i++) want[i] += s[i];
    expect(accumulateF32Simd(d, s, n)).toBe(true);
    expect(mismatches(d, want)).toEqual([]);
  });

  it("the optimizer classes give a large float32 parameter (the kernel) the JS twin's bits", () => {
    const n = 1000;
    const makers = [
      (p: Tensor): Optimizer => new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }),
      (p: Tensor): Optimizer => new Adam([p], { lr: 0.01, weightDecay: 1e-3 }),
      (p: Tensor): Optimizer => new AdamW([p], { lr: 0.01 }),
    ];
    for (const make of makers) {
      const x0 = input(n, 5);
      const p = tensor(Array.from(x0), [n], { requiresGrad: true });
      const opt = make(p);
      const x = x0.slice();
      const [s1, s2] = [new Float32Array(n), new Float32Array(n)];
      for (let t = 1; t <= 3; t++) {
        const g = input(n, 7 * t);
        p.grad = tensor(Array.from(g), [n]).keep();
        opt.step();
        if (opt instanceof SGD) sgdUpdateJs(x, g, s1, t === 1, n, opt);
        else if (opt instanceof Adam) adamUpdateJs(x, g, s1, s2, n, adamOf(opt, t));
        expect(mismatches(p.data as Float32Array, x), `${opt.constructor.name} step ${t}`).toEqual([]);
      }
    }
  });
});

function coefficients(lr: number, wd: number, decoupled: boolean, t: number): AdamCoefficients {
  const [beta1, beta2] = [0.9, 0.999];
  return {
    decay: decoupled && wd !== 0 ? 1 - lr * wd : 1,
    l2: decoupled ? 0 : wd,
    beta1,
    beta2,
    stepSize: lr / (1 - Math.pow(beta1, t)),
    bc2Sqrt: Math.sqrt(1 - Math.pow(beta2, t)),
    eps: 1e-8,
  };
}

function adamOf(o: Adam, t: number): AdamCoefficients {
  return coefficients(o.lr, o.weightDecay, o instanceof AdamW, t);
}
