import { describe, expect, it } from 'vitest';
import { Rng } from '../tensor/rng';
import { tensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { tidy } from '../tensor/scope';
import { backward } from '../autograd/backward';
import { withElementaryOps } from '../autograd/gradMode';
import { collectTape } from '../autograd/tape';
import { runKernel1 } from '../autograd/runKernel';
import { Linear } from '../nn/linear';

const rng = new Rng(23);
const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-40, 3.4e38, -3.4e38];

const bits = (t: Tensor | null): number[] => (t === null ? [] : Array.from(t.data.subarray(0, t.size)));

function values(n: number, special: boolean): number[] {
  return Array.from({ length: n }, (_, i) =>
    special && i % 7 === 4 ? SPECIALS[i % SPECIALS.length] : rng.uniform(-2, 2),
  );
}

/** y, and the gradients of x, W and b for a gradient dy of y, fused or through MatMul and Add. */
function run(
  layer: Linear,
  xv: number[],
  xShape: number[],
  dyv: number[],
  xNeedsGrad: boolean,
  elementary: boolean,
): { y: number[]; dx: number[]; dw: number[]; db: number[]; kernels: string[] } {
  const go = (): ReturnType<typeof run> =>
    tidy(() => {
      layer.weight.grad = null;
      if (layer.bias !== null) layer.bias.grad = null;
      const x = tensor(xv, xShape, { dtype: layer.weight.dtype, requiresGrad: xNeedsGrad });
      const y = layer.forward(x);
      const kernels = collectTape(y).map((r) => r.kernelName);
      backward(y, tensor(dyv, y.shape, { dtype: y.dtype }));
      const out = {
        y: bits(y),
        dx: bits(x.grad),
        dw: bits(layer.weight.grad),
        db: bits(layer.bias?.grad ?? null),
        kernels,
      };
      x.dispose();
      return out;
    });
  return elementary ? withElementaryOps(go) : go();
}

describe('Linear: x·Wᵀ + b in one kernel, bit for bit with MatMul then Add', () => {
  // [N, in, out]: the tiny MLP's layers, bias lengths that are and are not multiples of 4, a row.
  const sizes = [
    [32, 2, 16],
    [32, 16, 16],
    [32, 16, 3],
    [1, 5, 3],
    [7, 9, 8],
    [64, 33, 10],
    [3, 1, 1],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: the output and the gradients of x, W and b`, () => {
      let round = 0;
      for (const [n, inF, outF] of sizes) {
        for (const special of [false, true]) {
          const layer = new Linear(inF, outF, new Rng(round), { dtype });
          if (special) {
            layer.weight.data.set(values(outF * inF, true));
            (layer.bias as Tensor).data.set(values(outF, true));
          }
          const xv = values(n * inF, special);
          const dyv = values(n * outF, special);
          const xNeedsGrad = round % 2 === 0;
          round++;
          const fused = run(layer, xv, [n, inF], dyv, xNeedsGrad, false);
          const elementary = run(layer, xv, [n, inF], dyv, xNeedsGrad, true);
          expect(fused.kernels).toEqual(['Linear']);
          expect(elementary.kernels).toEqual(['MatMul', 'Add']);
          expect(fused.y).toEqual(elementary.y);
          expect(fused.dx).toEqual(elementary.dx);
          expect(fused.dw).toEqual(elementary.dw);
          expect(fused.db).toEqual(elementary.db);
        }
      }
    });
  }

  it('fuses a 1-D input as one row; without a bias it is MatMul alone', () => {
    tidy(() => {
      const layer = new Linear(3, 2, new Rng(1));
      const x = tensor([1, 2, 3], [3]);
      const fused = layer.forward(x);
      const elementary = withElementaryOps(() => layer.forward(x));
      expect(fused.shape).toEqual([2]);
      expect(bits(fused)).toEqual(bits(elementary));
      const noBias = new Linear(3, 2, new Rng(1), { bias: false });
      expect(collectTape(noBias.forward(tensor([1, 2, 3], [1, 3]))).map((r) => r.kernelName)).toEqual(['MatMul']);
    });
  });

  it('rejects operands of the wrong shapes or dtypes', () => {
    tidy(() => {
      const x = tensor([1, 2, 3, 4], [2, 2]);
      const w = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
      expect(() => runKernel1('Linear', [x, w, tensor([1, 2], [2])])).toThrow(/b \[out\]/);
      expect(() => runKernel1('Linear', [x, w, tensor([1, 2, 3], [3], { dtype: 'float64' })])).toThrow(/dtypes/);
    });
  });
});
