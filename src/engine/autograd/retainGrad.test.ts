import { describe, it, expect } from 'vitest';
import type { Tensor } from '../tensor/tensor';
import { tensor } from '../tensor/create';
import { add, mul, square } from '../ops/arithmetic';
import { exp } from '../ops/unary';
import { tanh, sigmoid } from '../ops/activation';
import { sum } from '../ops/reduce';
import { matmul } from '../ops/matmul';
import { reshape } from '../ops/shape';
import { noGrad } from './gradMode';
import { backward, BackwardPass, grad } from './backward';
import { collectTape } from './tape';

// PyTorch semantics of retain_grad(): after backward, a retained intermediate's .grad is the full
// dL/d(tensor), summed over all its consumers exactly once; further backward calls accumulate.
// The references below never go through .grad delivery: float64 central differences of the part of
// the graph downstream of the tensor, and the pass's own accumulated gradient (grad()).

const f64 = (v: number[], shape?: number[], requiresGrad = true): Tensor =>
  tensor(v, shape, { dtype: 'float64', requiresGrad });

/** Central differences of the scalar `tail(a)` at a's values, a standing in as a fresh float64 leaf. */
function numericGrad(tail: (a: Tensor) => Tensor, at: Tensor, eps = 1e-6): number[] {
  const base = at.toArray();
  return noGrad(() =>
    base.map((v, i) => {
      const shifted = (d: number): number => {
        const vals = [...base];
        vals[i] = v + d;
        return tail(f64(vals, [...at.shape], false)).item();
      };
      return (shifted(eps) - shifted(-eps)) / (2 * eps);
    }),
  );
}

function expectClose(actual: Tensor | null, expected: number[], digits = 6): void {
  expect(actual).not.toBeNull();
  const a = (actual as Tensor).toArray();
  expect(a).toHaveLength(expected.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(expected[i], digits));
}

/** a.grad after one backward must be dL/da (numerically, and as the pass accumulated it); after two, twice it. */
function checkRetained(build: () => { loss: Tensor; retained: [Tensor, (a: Tensor) => Tensor][] }): void {
  const { loss, retained } = build();
  const viaPass = grad(
    loss,
    retained.map(([t]) => t),
  ).map((g) => g.toArray());
  for (const [t] of retained) expect(t.grad).toBeNull(); // grad() leaves .grad alone
  backward(loss);
  retained.forEach(([t, tail], k) => {
    const numeric = numericGrad(tail, t);
    expectClose(t.grad, numeric, 6);
    expectClose(t.grad, viaPass[k], 12);
  });
  backward(loss);
  retained.forEach(([t], k) =>
    expectClose(
      t.grad,
      viaPass[k].map((v) => 2 * v),
      12,
    ),
  );
}

describe('retainGrad on intermediates', () => {
  it('diamond: x → a; a feeds two branches that join; every retained tensor gets its full gradient', () => {
    const xv = [0.3, -0.7, 1.1];
    const x = f64(xv);
    checkRetained(() => {
      const a = tanh(mul(x, 1.5)).retainGrad();
      const b = exp(a).retainGrad(); // branch 1; its consumer (the join) is far from it in tape order
      const c = mul(a, 2).retainGrad(); // branch 2
      const d = mul(b, c).retainGrad(); // the join
      const loss = sum(d);
      return {
        loss,
        retained: [
          [a, (t) => sum(mul(exp(t), mul(t, 2)))],
          [b, (t) => sum(mul(t, mul(a, 2)))],
          [c, (t) => sum(mul(exp(a), t))],
          [d, (t) => sum(t)],
        ],
      };
    });
  });

  it('chain: the consumer of a retained tensor is far from it in tape order', () => {
    const x = f64([0.2, -0.4]);
    checkRetained(() => {
      const a = tanh(x).retainGrad();
      // Unrelated records between a and its only consumer.
      const y1 = exp(x);
      const y2 = mul(y1, 3);
      const y3 = sigmoid(y2);
      const loss = sum(mul(a, y3));
      return { loss, retained: [[a, (t) => sum(mul(t, y3))]] };
    });
  });

  it('a retained tensor used twice by the same op (mul(a, a)) is counted once per use, delivered once', () => {
    const x = f64([0.5, -1.5, 2]);
    checkRetained(() => {
      const a = tanh(x).retainGrad();
      const loss = sum(mul(a, a));
      return { loss, retained: [[a, (t) => sum(mul(t, t))]] };
    });
  });

  it('a retained view of a leaf (reshape) used by several ops gets dL/dview; the leaf gets the same numbers', () => {
    const xv = [0.1, -0.2, 0.3, 0.4];
    const x = f64(xv);
    let view: Tensor | undefined;
    checkRetained(() => {
      const v = reshape(x, [2, 2]).retainGrad();
      view = v;
      const loss = sum(add(matmul(v, v), square(v)));
      return { loss, retained: [[v, (t) => sum(add(matmul(t, t), square(t)))]] };
    });
    // x received the same two backward passes as the view.
    expectClose(x.grad, (view as Tensor).grad?.toArray() ?? [], 12);
  });

  it('a leaf with retainGrad() still gets each contribution once', () => {
    const x = f64([0.7, -0.3]).retainGrad();
    backward(sum(add(mul(x, x), exp(x))));
    expectClose(
      x.grad,
      numericGrad((t) => sum(add(mul(t, t), exp(t))), x),
      6,
    );
  });

  it('a retained root that also feeds another root gets its seed plus the downstream gradient, once', () => {
    const x = f64([0.4, 0.9]);
    const a = tanh(x).retainGrad();
    const s = sum(a).retainGrad(); // root 1, consumed by root 2
    const loss = mul(exp(s), 2); // root 2
    new BackwardPass([s, loss]).run();
    const sv = s.item();
    // d(s + 2·exp(s))/ds
    expectClose(s.grad, [1 + 2 * Math.exp(sv)], 12);
    const tanhs = x.toArray().map((v) => Math.tanh(v));
    expectClose(
      a.grad,
      tanhs.map(() => 1 + 2 * Math.exp(sv)),
      12,
    );
  });

  it('grad() leaves the .grad of retained tensors alone (torch.autograd.grad)', () => {
    const x = f64([0.5, -1.5]);
    const a = tanh(x).retainGrad();
    const loss = sum(mul(a, a));
    const [ga] = grad(loss, [a]);
    expectClose(
      ga,
      numericGrad((t) => sum(mul(t, t)), a),
      6,
    );
    expect(a.grad).toBeNull();
    expect(x.grad).toBeNull();
  });

  it('stepping: a retained gradient appears once its last consumer is processed and never changes after', () => {
    const x = f64([0.25, -0.5]);
    const a = tanh(x).retainGrad();
    const y = exp(x); // between a and its consumers
    const loss = sum(add(mul(a, y), square(a)));
    const consumers = new Set(
      collectTape(loss)
        .filter((r) => r.inputs.includes(a))
        .map((r) => r.id),
    );
    expect(consumers.size).toBe(2);
    const pass = new BackwardPass([loss]);
    let seen: number[] | null = null;
    for (let rec = pass.next(); rec !== null; rec = pass.next()) {
      consumers.delete(rec.id);
      if (seen === null && a.grad !== null) {
        // Delivered right when its last consumer was processed, not before and not later.
        expect(consumers.size).toBe(0);
        expect(rec.inputs.includes(a)).toBe(true);
        seen = a.grad.toArray();
      } else if (seen !== null) {
        expect(a.grad?.toArray()).toEqual(seen);
      }
    }
    expect(seen).not.toBeNull();
    expectClose(
      a.grad,
      numericGrad((t) => sum(add(mul(t, y), square(t))), a),
      6,
    );
  });
});
