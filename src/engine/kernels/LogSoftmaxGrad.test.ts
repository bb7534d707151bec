import { describe, expect, it } from 'vitest';
import { Rng } from '../tensor/rng';
import { tensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { tidy } from '../tensor/scope';
import { exp } from '../ops/unary';
import { mul, sub } from '../ops/arithmetic';
import { sum } from '../ops/reduce';
import { runKernel1 } from '../autograd/runKernel';
import { logSoftmaxGradNaive } from './LogSoftmaxGrad';

const rng = new Rng(16);
const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-40, 88.7, -103, 3.4e38, -3.4e38];

/** y: log-probabilities with a few specials; dy: gradients with a few specials. */
function operands(size: number): [number[], number[]] {
  const pick = (i: number, lo: number, hi: number): number =>
    i % 7 === 3 ? SPECIALS[(i * 5) % SPECIALS.length] : rng.uniform(lo, hi);
  return [
    Array.from({ length: size }, (_, i) => pick(i, -30, 0.5)),
    Array.from({ length: size }, (_, i) => pick(i + 2, -2, 2)),
  ];
}

const bits = (t: Tensor): number[] => Array.from(t.data.subarray(0, t.size));

describe('LogSoftmaxGrad: the composite gradient (Exp, Sum, Mul, Neg, Add) bit for bit', () => {
  const shapes = [[32, 3], [64, 10], [1, 5], [7], [2, 3, 4], [5, 1], [3, 17], [130, 2]];
  for (const dtype of ['float32', 'float64'] as const) {
    it(dtype, () => {
      for (const shape of shapes) {
        for (let round = 0; round < 3; round++) {
          const size = shape.reduce((a, b) => a * b, 1);
          const [yv, dyv] = operands(size);
          tidy(() => {
            const y = tensor(yv, shape, { dtype });
            const dy = tensor(dyv, shape, { dtype });
            const axis = shape.length - 1;
            const fused = runKernel1('LogSoftmaxGrad', [y, dy], { axis });
            const composite = sub(dy, mul(exp(y), sum(dy, axis, true)));
            expect(bits(fused)).toEqual(bits(composite));
            const n = shape[axis];
            expect(bits(fused)).toEqual(
              Array.from(
                (dtype === 'float32' ? Float32Array : Float64Array).from(
                  logSoftmaxGradNaive(y.data, dy.data, size / n, n, dtype === 'float32'),
                ),
              ),
            );
          });
        }
      }
    });
  }

  it('rejects another axis or mismatched shapes', () => {
    tidy(() => {
      const y = tensor([1, 2, 3, 4], [2, 2]);
      expect(() => runKernel1('LogSoftmaxGrad', [y, y], { axis: 0 })).toThrow(/last axis/);
      expect(() => runKernel1('LogSoftmaxGrad', [y, tensor([1, 2], [2])], { axis: 1 })).toThrow(/last axis/);
    });
  });
});
