import { describe, expect, it } from 'vitest';
import { Rng } from '../tensor/rng';
import { tensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { tidy } from '../tensor/scope';
import { backward } from '../autograd/backward';
import { withElementaryOps } from '../autograd/gradMode';
import { collectTape } from '../autograd/tape';
import { runKernel1 } from '../autograd/runKernel';
import { crossEntropyLoss, nllLoss } from '../nn/losses';

const rng = new Rng(61);
const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-40, 88.7, -103, 3.4e38, -3.4e38];
const GRADS = [1, 0.37, -2.5, 0, -0, 1e-40, 3.4e38, Infinity, NaN];

const bits = (t: Tensor): number[] => Array.from(t.data.subarray(0, t.size));

/** The loss and the gradient of the scores, fused or through the elementary ops. */
function run(
  loss: typeof crossEntropyLoss,
  scores: number[],
  shape: [number, number],
  targets: number[],
  dtype: 'float32' | 'float64',
  reduction: 'mean' | 'sum',
  dy: number,
  elementary: boolean,
): { loss: number[]; grad: number[]; kernels: string[] } {
  const go = (): { loss: number[]; grad: number[]; kernels: string[] } =>
    tidy(() => {
      const x = tensor(scores, shape, { dtype, requiresGrad: true });
      const l = loss(x, targets, { reduction, ignoreIndex: -100 });
      const kernels = collectTape(l).map((r) => r.kernelName);
      backward(l, tensor(dy, [], { dtype }));
      const out = { loss: bits(l), grad: bits(x.grad as Tensor), kernels };
      x.dispose();
      return out;
    });
  return elementary ? withElementaryOps(go) : go();
}

describe('NllLoss: the class losses in one kernel, bit for bit with the elementary ops', () => {
  const shapes: [number, number][] = [
    [32, 3],
    [1, 1],
    [1, 4],
    [3, 2],
    [33, 10],
    [100, 3],
    [7, 17],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const reduction of ['mean', 'sum'] as const) {
      it(`${dtype}, ${reduction}: the loss and the scores' gradient (crossEntropyLoss and nllLoss)`, () => {
        let round = 0;
        for (const [n, c] of shapes) {
          for (const loss of [crossEntropyLoss, nllLoss]) {
            const special = round % 2 === 1;
            const scores = Array.from({ length: n * c }, (_, i) =>
              special && i % 5 === 2 ? SPECIALS[(i + round) % SPECIALS.length] : rng.uniform(-6, 6),
            );
            const targets = Array.from({ length: n }, () => Math.floor(rng.uniform(0, c)));
            const dy = GRADS[round % GRADS.length];
            round++;
            const fused = run(loss, scores, [n, c], targets, dtype, reduction, dy, false);
            const elementary = run(loss, scores, [n, c], targets, dtype, reduction, dy, true);
            expect(fused.kernels).toContain('NllLoss');
            expect(elementary.kernels).not.toContain('NllLoss');
            expect(fused.loss).toEqual(elementary.loss);
            expect(fused.grad).toEqual(elementary.grad);
          }
        }
      });
    }
  }

  it('keeps the elementary ops for reduction none and when a target is ignored', () => {
    tidy(() => {
      const x = tensor([1, 2, 3, 4, 5, 6], [2, 3], { requiresGrad: true });
      const kernels = (t: Tensor): string[] => collectTape(t).map((r) => r.kernelName);
      expect(kernels(crossEntropyLoss(x, [1, 2], { reduction: 'none' }))).not.toContain('NllLoss');
      expect(kernels(crossEntropyLoss(x, [1, -100], { ignoreIndex: -100 }))).not.toContain('NllLoss');
      expect(kernels(crossEntropyLoss(x, [1, 2], { ignoreIndex: -100 }))).toContain('NllLoss');
    });
  });

  it('rejects inputs and attributes it was not made for', () => {
    tidy(() => {
      const x = tensor([1, 2, 3, 4], [2, 2]);
      expect(() => runKernel1('NllLoss', [x], { indices: Int32Array.from([0]), reduction: 'mean' })).toThrow(/2 class/);
      expect(() => runKernel1('NllLoss', [x], { indices: Int32Array.from([0, 1]), reduction: 'none' })).toThrow(
        /reduction/,
      );
      expect(() => runKernel1('NllLoss', [tensor([1, 2], [2])], { indices: Int32Array.from([0]) })).toThrow(/\[N, C\]/);
    });
  });
});
