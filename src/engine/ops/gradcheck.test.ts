import { describe, it, expect } from 'vitest';
import { ALL_GRAD_CASE_LISTS } from './gradCaseLists.test-support';
import { centralDifference, gradCheck } from './gradcheck';
import { tidy } from '../tensor/scope';
import { tensor } from '../tensor/create';
import { mul } from './arithmetic';

// Every case list the coverage test counts (gradCaseLists.test-support.ts) runs here, so a list cannot
// satisfy the coverage test without its cases being checked.
describe('float64 gradient checks of every kernel (|a − n| ≤ 1e-5 + 1e-3·|n|, eps 1e-6)', () => {
  for (const [kernel, cases] of ALL_GRAD_CASE_LISTS.flatMap((list) => Object.entries(list))) {
    it(`${kernel}: ≥ 5 cases pass`, () => {
      expect(cases.length).toBeGreaterThanOrEqual(5);
      for (const c of cases) {
        const res = tidy(() => {
          const inputs = c.inputs().map((t) => t.keep());
          const r = gradCheck(c.f, inputs);
          for (const t of inputs) t.dispose();
          return r;
        });
        expect(res.failures, c.name).toEqual([]);
      }
    });
  }

  it('detects a wrong gradient (the checker can fail)', () => {
    const x = tensor([0.5, -1.5, 2], undefined, { dtype: 'float64', requiresGrad: true });
    // Wrong on purpose: a function whose value changes but whose tape sees a constant factor.
    const r = gradCheck((t) => mul(t, tensor(t.toArray(), t.shape, { dtype: 'float64' })), [x]);
    expect(r.ok).toBe(false);
  });
});

describe('centralDifference', () => {
  it('is (L(x + h) − L(x − h)) / 2h in one entry, and puts the entry back, even when the loss throws', () => {
    const x = Float64Array.of(1.5, -2, 0.25);
    const loss = (): number => x[0] * x[0] * x[1] + Math.sin(x[2]);
    expect(centralDifference(x, 0, 1e-6, loss)).toBeCloseTo(2 * 1.5 * -2, 6);
    expect(centralDifference(x, 2, 1e-6, loss)).toBeCloseTo(Math.cos(0.25), 8);
    expect(Array.from(x)).toEqual([1.5, -2, 0.25]);
    expect(() =>
      centralDifference(x, 1, 1e-3, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(x[1]).toBe(-2);
  });
});
