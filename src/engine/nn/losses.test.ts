import { describe, it, expect } from 'vitest';
import type { Tensor } from '../tensor/tensor';
import { tensor } from '../tensor/create';
import { Rng } from '../tensor/rng';
import { tidy } from '../tensor/scope';
import { gradCheck } from '../ops/gradcheck';
import type { Reduction } from './losses';
import {
  bceWithLogitsLoss,
  crossEntropyLoss,
  hingeLoss,
  hingeLoss01,
  l1Loss,
  logisticLoss,
  mseLoss,
  multiMarginLoss,
  nllLoss,
  perceptronLoss,
} from './losses';
import { logSoftmax } from '../ops/activation';

const rng = new Rng(11);
const f64 = (vals: number[], shape: number[], grad = false): Tensor =>
  tensor(vals, shape, { dtype: 'float64', requiresGrad: grad });
const randVals = (n: number, scale = 2): number[] => Array.from({ length: n }, () => rng.uniform(-scale, scale));
/** Values whose margin y·w stays ≥ 0.05 away from `kink` (hinge/perceptron kinks). */
const awayFrom = (vals: number[], labels: number[], kink: number): number[] =>
  vals.map((v, i) => (Math.abs(labels[i] * v - kink) < 0.05 ? v + 0.2 * labels[i] : v));
const pm = (n: number): number[] => Array.from({ length: n }, () => (rng.next() < 0.5 ? -1 : 1));
const zo = (n: number): number[] => Array.from({ length: n }, () => (rng.next() < 0.5 ? 0 : 1));
const cls = (n: number, c: number): number[] => Array.from({ length: n }, () => rng.int(c));

function check(name: string, make: (red: Reduction) => { x: Tensor; f: (x: Tensor) => Tensor }): void {
  for (const red of ['mean', 'sum', 'none'] as Reduction[]) {
    const { x, f } = make(red);
    const res = tidy(() => gradCheck(f, [x]));
    expect(res.failures, `${name} ${red}`).toEqual([]);
  }
}

const SHAPES: number[][] = [[1], [5], [3, 1], [2, 3], [1, 4]];

describe('every loss passes the float64 gradient check (≥ 5 inputs × mean/sum/none)', () => {
  it('MSE and L1', () => {
    for (const s of SHAPES) {
      const n = s.reduce((a, b) => a * b, 1);
      const t = randVals(n);
      check('mse', () => ({ x: f64(randVals(n), s, true), f: (x) => mseLoss(x, f64(t, s)) }));
      const xv = randVals(n).map((v, i) => (Math.abs(v - t[i]) < 0.05 ? v + 0.2 : v));
      check('l1', (red) => ({ x: f64(xv, s, true), f: (x) => l1Loss(x, f64(t, s), { reduction: red }) }));
    }
  });

  it('binary losses: BCE-with-logits, logistic, hinge (±1 and 0/1), perceptron', () => {
    for (const s of SHAPES) {
      const n = s.reduce((a, b) => a * b, 1);
      const y01 = zo(n);
      const ypm = pm(n);
      check('bce', (red) => ({
        x: f64(randVals(n, 6), s, true),
        f: (x) => bceWithLogitsLoss(x, f64(y01, s), { reduction: red }),
      }));
      check('logistic', (red) => ({
        x: f64(randVals(n, 6), s, true),
        f: (x) => logisticLoss(x, f64(ypm, s), { reduction: red }),
      }));
      check('hinge', (red) => ({
        x: f64(awayFrom(randVals(n), ypm, 1), s, true),
        f: (x) => hingeLoss(x, f64(ypm, s), { reduction: red }),
      }));
      const y01pm = y01.map((v) => 2 * v - 1);
      check('hinge01', (red) => ({
        x: f64(awayFrom(randVals(n), y01pm, 1), s, true),
        f: (x) => hingeLoss01(x, f64(y01, s), { reduction: red }),
      }));
      check('perceptron', (red) => ({
        x: f64(awayFrom(randVals(n), ypm, 0), s, true),
        f: (x) => perceptronLoss(x, f64(ypm, s), { reduction: red }),
      }));
    }
  });

  it('class losses: cross-entropy, NLL, multiclass hinge with margin', () => {
    for (const [n, c] of [
      [1, 2],
      [4, 3],
      [3, 5],
      [6, 2],
      [2, 4],
    ]) {
      const y = cls(n, c);
      check('ce', (red) => ({
        x: f64(randVals(n * c, 4), [n, c], true),
        f: (x) => crossEntropyLoss(x, y, { reduction: red }),
      }));
      check('nll', (red) => ({
        x: f64(randVals(n * c, 4), [n, c], true),
        f: (x) => nllLoss(logSoftmax(x, 1), y, { reduction: red }),
      }));
      for (const margin of [1, 0.3]) {
        // Away from the hinge and from ties among wrong classes (both kinks).
        let vals: number[];
        for (;;) {
          vals = randVals(n * c, 3);
          const ok = Array.from({ length: n }, (_, i) => {
            const row = vals.slice(i * c, i * c + c);
            const others = row.filter((_, j) => j !== y[i]).sort((a, b) => b - a);
            const gap = others.length > 1 ? others[0] - others[1] : 1;
            return Math.abs(margin - row[y[i]] + others[0]) > 0.05 && gap > 0.05;
          }).every(Boolean);
          if (ok) break;
        }
        check('multiMargin', (red) => ({
          x: f64(vals, [n, c], true),
          f: (x) => multiMarginLoss(x, y, { reduction: red, margin }),
        }));
      }
    }
  });
});

describe('class losses over padded sequences (ignore_index)', () => {
  it('pass the float64 gradient check with ignored targets, and ignored rows get no gradient', () => {
    // N·T = 6 rows of C = 4 scores; targets with the padding class −1 and with 0 as the ignore index.
    for (const [y, ig] of [
      [[1, 3, -1, 2, -1, -1], -1],
      [[2, 0, 0, 3, 1, 0], 0],
      [[3, 1, 2, 2, 1, 3], -100],
    ] as const) {
      check(`ce ignore ${ig}`, (red) => ({
        x: f64(randVals(24, 3), [6, 4], true),
        f: (x) => crossEntropyLoss(x, [...y], { reduction: red, ignoreIndex: ig }),
      }));
      check(`nll ignore ${ig}`, (red) => ({
        x: f64(randVals(24, 3), [6, 4], true),
        f: (x) => nllLoss(logSoftmax(x, 1), [...y], { reduction: red, ignoreIndex: ig }),
      }));
    }
  });

  it('mean is over the kept targets only; all ignored gives NaN, as torch does', () => {
    const x = f64([2, 0, 1, 1, 0, 3], [3, 2]);
    const each = [0, 1, 0].map((k, i) => -logSoftmax(x, 1).toArray()[i * 2 + k]);
    expect(crossEntropyLoss(x, [0, 1, 7], { ignoreIndex: 7 }).item()).toBeCloseTo((each[0] + each[1]) / 2, 12);
    expect(crossEntropyLoss(x, [0, 7, 7], { ignoreIndex: 7, reduction: 'sum' }).item()).toBeCloseTo(each[0], 12);
    expect(crossEntropyLoss(x, [7, 7, 7], { ignoreIndex: 7 }).item()).toBeNaN();
    expect(crossEntropyLoss(x, [0, 1, 7], { ignoreIndex: 7, reduction: 'none' }).toArray()[2]).toBe(0);
    // The ignore index never hides a real out-of-range label.
    expect(() => crossEntropyLoss(x, [0, 5, 7], { ignoreIndex: 7 })).toThrow(/out of range/);
    // The message names the position among the kept targets, as before the one-pass check.
    expect(() => crossEntropyLoss(x, [7, 0, 1.5], { ignoreIndex: 7 })).toThrow(/index 1.5 at position 1 /);
  });
});

describe('loss semantics', () => {
  it('mean = sum / count, and the multiclass hinge uses only the strongest wrong class', () => {
    const x = f64([2, 0.5, 1.8, 0, 0, 3], [2, 3]);
    const s = multiMarginLoss(x, [0, 2], { reduction: 'sum', margin: 1 }).item();
    // Sample 0: max(0, 1 − 2 + 1.8) = 0.8; sample 1: max(0, 1 − 3 + 0) = 0.
    expect(s).toBeCloseTo(0.8, 12);
    expect(multiMarginLoss(x, [0, 2], { margin: 1 }).item()).toBeCloseTo(0.4, 12);
  });

  it('rejects wrong labels and shapes with clear messages', () => {
    expect(() => hingeLoss(f64([1, 2], [2]), f64([0, 1], [2]))).toThrow(/-1 or 1/);
    expect(() => bceWithLogitsLoss(f64([1, 2], [2]), f64([-1, 1], [2]))).toThrow(/0 or 1/);
    expect(() => mseLoss(f64([1, 2], [2]), f64([1, 2], [2, 1]))).toThrow(/same shape/);
    expect(() => crossEntropyLoss(f64([1, 2], [1, 2]), [2])).toThrow(/out of range/);
    expect(() => crossEntropyLoss(f64([1, 2], [1, 2]), [0, 1])).toThrow(/2 targets for 1 samples/);
  });

  it('BCE with logits is stable for huge logits', () => {
    const l = bceWithLogitsLoss(f64([1000, -1000], [2]), f64([1, 0], [2]), { reduction: 'sum' });
    expect(l.item()).toBe(0);
  });
});
