import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../tensor/rng';
import { tensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { tidy } from '../tensor/scope';
import { backward } from '../autograd/backward';
import { withElementaryOps } from '../autograd/gradMode';
import { runKernel } from '../autograd/runKernel';
import { matmul } from '../ops/matmul';
import { sum } from '../ops/reduce';
import { Linear } from '../nn/linear';
import { LINEAR_GRAD_ATTRS, linearGradKernelConfig } from './LinearGrad';

const rng = new Rng(47);
const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-40, 3.4e38, -3.4e38];

/** The bit patterns of a tensor's elements (so +0 and −0, and NaN payloads, count). */
function bits(t: Tensor | null): string[] {
  if (t === null) return [];
  const d = t.data;
  const out: string[] = [];
  if (d instanceof Float64Array) {
    const u = new BigUint64Array(d.buffer, d.byteOffset, t.size);
    for (let i = 0; i < t.size; i++) out.push(u[i].toString(16));
  } else {
    const u = new Uint32Array(d.buffer, d.byteOffset, t.size);
    for (let i = 0; i < t.size; i++) out.push(u[i].toString(16));
  }
  return out;
}

function values(n: number, special: boolean): number[] {
  return Array.from({ length: n }, (_, i) =>
    special && i % 5 === 2 ? SPECIALS[(i * 7) % SPECIALS.length] : rng.uniform(-2, 2),
  );
}

// [N, in, out]: the tiny MLP's layers, batches of 1 and not multiples of 4, a wide layer.
const SIZES = [
  [32, 2, 16],
  [32, 16, 16],
  [32, 16, 3],
  [1, 5, 3],
  [1, 1, 1],
  [7, 9, 8],
  [5, 3, 4],
  [33, 17, 10],
  [64, 40, 12],
];

describe('LinearGrad: dx, dW and db in one kernel call, bit for bit with MatMul, MatMul and Sum', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: every combination of outputs, with ±0, ±Inf and NaN`, () => {
      for (const [n, inF, outF] of SIZES) {
        for (const special of [false, true]) {
          tidy(() => {
            const dy = tensor(values(n * outF, special), [n, outF], { dtype });
            const x = tensor(values(n * inF, special), [n, inF], { dtype });
            const w = tensor(values(outF * inF, special), [outF, inF], { dtype });
            const dx = bits(matmul(dy, w, false, false));
            const dw = bits(matmul(dy, x, true, false));
            const db = bits(sum(dy, [0]));
            for (let mask = 1; mask < 8; mask++) {
              const want: string[][] = [];
              if (mask & 1) want.push(dx);
              if (mask & 2) want.push(dw);
              if (mask & 4) want.push(db);
              const got = runKernel('LinearGrad', [dy, x, w], LINEAR_GRAD_ATTRS[mask]);
              expect(got.map((t) => t.dtype)).toEqual(want.map(() => dtype));
              expect(got.map(bits)).toEqual(want);
            }
          });
        }
      }
    });
  }

  it('rejects operands of the wrong shapes or dtypes, and a call for nothing', () => {
    tidy(() => {
      const dy = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      const x = tensor([1, 2, 3, 4], [2, 2]);
      const w = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
      expect(() => runKernel('LinearGrad', [dy, x, tensor([1, 2, 3, 4], [2, 2])], LINEAR_GRAD_ATTRS[7])).toThrow(
        /W \[out, in\]/,
      );
      expect(() => runKernel('LinearGrad', [dy, x, w.view([6])], LINEAR_GRAD_ATTRS[7])).toThrow(/W \[out, in\]/);
      expect(() =>
        runKernel('LinearGrad', [dy, tensor([1, 2, 3, 4], [2, 2], { dtype: 'float64' }), w], LINEAR_GRAD_ATTRS[7]),
      ).toThrow(/dtypes/);
      expect(() => runKernel('LinearGrad', [dy, x, w], LINEAR_GRAD_ATTRS[0])).toThrow(/none/);
    });
  });
});

describe("Linear's gradient: one LinearGrad call, or the three kernels while fused ops are off", () => {
  /** The gradients of x, W and b after a fused forward, with the gradient fused or not, and the LinearGrad calls. */
  function grads(
    layer: Linear,
    xv: number[],
    n: number,
    dyv: number[],
    needs: [boolean, boolean, boolean],
    elementary: boolean,
  ): { dx: string[]; dw: string[]; db: string[]; calls: number } {
    const spy = vi.spyOn(linearGradKernelConfig, 'kernelFunc');
    try {
      return tidy(() => {
        const b = layer.bias as Tensor;
        layer.weight.grad = null;
        b.grad = null;
        layer.weight.requiresGrad = needs[1];
        b.requiresGrad = needs[2];
        const x = tensor(xv, [n, layer.inFeatures], { dtype: layer.weight.dtype, requiresGrad: needs[0] });
        const y = layer.forward(x);
        const dy = tensor(dyv, y.shape, { dtype: y.dtype });
        if (elementary) withElementaryOps(() => backward(y, dy));
        else backward(y, dy);
        const out = {
          dx: bits(x.grad),
          dw: bits(layer.weight.grad),
          db: bits(b.grad),
          calls: spy.mock.calls.length,
        };
        x.dispose();
        return out;
      });
    } finally {
      spy.mockRestore();
      layer.weight.requiresGrad = true;
      (layer.bias as Tensor).requiresGrad = true;
    }
  }

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: the same bits whichever inputs need a gradient`, () => {
      let round = 0;
      for (const [n, inF, outF] of SIZES) {
        const layer = new Linear(inF, outF, new Rng(round++), { dtype });
        layer.weight.data.set(values(outF * inF, true));
        (layer.bias as Tensor).data.set(values(outF, true));
        const xv = values(n * inF, true);
        const dyv = values(n * outF, true);
        for (let mask = 1; mask < 8; mask++) {
          const needs: [boolean, boolean, boolean] = [(mask & 1) !== 0, (mask & 2) !== 0, (mask & 4) !== 0];
          const fused = grads(layer, xv, n, dyv, needs, false);
          const elementary = grads(layer, xv, n, dyv, needs, true);
          expect(fused.calls).toBe(1);
          expect(elementary.calls).toBe(0);
          expect(fused.dx).toEqual(elementary.dx);
          expect(fused.dw).toEqual(elementary.dw);
          expect(fused.db).toEqual(elementary.db);
          expect(fused.dx.length).toBe(needs[0] ? n * inF : 0);
          expect(fused.dw.length).toBe(needs[1] ? outF * inF : 0);
          expect(fused.db.length).toBe(needs[2] ? outF : 0);
        }
      }
    });
  }
});
