import { describe, it, expect } from 'vitest';
import { CORE_PARITY } from './coreParity.test-support';
import { tensor } from '../tensor/create';
import { Rng } from '../tensor/rng';
import { Linear, linearInitBound } from './linear';
import { backward } from '../autograd/backward';
import type { Tensor } from '../tensor/tensor';
import type { ClassLossOptions } from './losses';
import { reshape } from '../ops/shape';
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

describe('PyTorch parity (references from scripts/parity/engine_core.py)', () => {
  it('Linear init: same bound as torch kaiming_uniform_(a=√5) and bias rule, same shapes', () => {
    for (const c of CORE_PARITY.linearInit) {
      expect(linearInitBound(c.in)).toBeCloseTo(c.weightBound, 10);
      expect(linearInitBound(c.in)).toBeCloseTo(c.biasBound, 10);
      const lin = new Linear(c.in, c.out, new Rng(c.in));
      expect(lin.weight.shape).toEqual(c.weightShape);
      expect(lin.bias?.shape).toEqual(c.biasShape);
      const w = lin.weight.toArray();
      expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(c.weightBound);
      // torch's own sample also stays inside the bound (sanity of the reference).
      expect(c.weightMaxAbs).toBeLessThanOrEqual(c.weightBound);
      if (w.length >= 1000) {
        // U(−b, b): mean ≈ 0, variance ≈ b²/3.
        const mean = w.reduce((a, b) => a + b, 0) / w.length;
        const v = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
        expect(Math.abs(mean)).toBeLessThan(0.05 * c.weightBound);
        expect(v / (c.weightBound ** 2 / 3)).toBeGreaterThan(0.95);
        expect(v / (c.weightBound ** 2 / 3)).toBeLessThan(1.05);
      }
    }
  });

  /** N×T×C scores as the CrossEntropyLoss/NLLLoss nodes score them: N·T rows of C. */
  const rows = (x: Tensor) => reshape(x, [-1, x.shape[x.rank - 1]]);
  const fns: Record<string, (x: Tensor, t: Tensor | number[], o: ClassLossOptions & { margin?: number }) => Tensor> = {
    mse: (x, t, o) => mseLoss(x, t as Tensor, o),
    l1: (x, t, o) => l1Loss(x, t as Tensor, o),
    bceWithLogits: (x, t, o) => bceWithLogitsLoss(x, t as Tensor, o),
    logistic: (x, t, o) => logisticLoss(x, t as Tensor, o),
    hinge: (x, t, o) => hingeLoss(x, t as Tensor, o),
    hinge01: (x, t, o) => hingeLoss01(x, t as Tensor, o),
    perceptron: (x, t, o) => perceptronLoss(x, t as Tensor, o),
    crossEntropy: (x, t, o) => crossEntropyLoss(x, t as number[], o),
    nll: (x, t, o) => nllLoss(x, t as number[], o),
    multiMargin: (x, t, o) => multiMarginLoss(x, t as number[], o),
    crossEntropySeq: (x, t, o) => crossEntropyLoss(rows(x), t as number[], o),
    nllSeq: (x, t, o) => nllLoss(rows(x), t as number[], o),
  };
  const classLoss = new Set(['crossEntropy', 'nll', 'multiMargin', 'crossEntropySeq', 'nllSeq']);

  for (const dtype of ['float64', 'float32'] as const) {
    it(`every loss, value and input gradient, mean and sum (${dtype})`, () => {
      const tol = dtype === 'float64' ? 1e-9 : 2e-5;
      const seen = new Set<string>();
      for (const c of CORE_PARITY.losses) {
        seen.add(c.name);
        const x = tensor(c.input, c.shape, { dtype, requiresGrad: true });
        const t = classLoss.has(c.name) ? c.target : tensor(c.target, c.shape, { dtype });
        const loss = fns[c.name](x, t, { reduction: c.reduction, margin: c.margin, ignoreIndex: c.ignoreIndex });
        expect(Math.abs(loss.item() - c.loss), `${c.name} ${c.reduction}`).toBeLessThanOrEqual(
          tol * (1 + Math.abs(c.loss)),
        );
        backward(loss);
        const g = x.grad?.toArray() ?? [];
        c.grad.forEach((v, i) =>
          expect(Math.abs(g[i] - v), `${c.name} grad ${i}`).toBeLessThanOrEqual(tol * (1 + Math.abs(v))),
        );
      }
      expect([...seen].sort()).toEqual(Object.keys(fns).sort());
    });
  }
});
