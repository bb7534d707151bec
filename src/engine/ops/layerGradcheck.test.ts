import { describe, it, expect } from 'vitest';
import { LAYER_GRAD_CASES } from './layerGradCases';
import { gradCheck } from './gradcheck';
import { tidy } from '../tensor/scope';

describe('float64 gradient checks of the layer kernels (|a − n| ≤ 1e-5 + 1e-3·|n|, eps 1e-6)', () => {
  for (const [kernel, cases] of Object.entries(LAYER_GRAD_CASES)) {
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
});
