import { describe, it, expect } from 'vitest';
import { tensor } from '../tensor/create';
import { tidy } from '../tensor/scope';
import { add, mul } from '../ops/arithmetic';
import { sum } from '../ops/reduce';
import { tanh } from '../ops/activation';
import { detach } from '../ops/shape';
import { backward, BackwardPass, grad } from './backward';
import { noGrad } from './gradMode';
import { collectTape } from './tape';
import { registerGradient } from './gradRegistry';
import { registerKernel } from '../kernels/registry';
import { addConfig } from '../kernels/Add';
import { addGradConfig } from '../ops/gradients/Add.grad';

const f64 = (v: number[]) => tensor(v, undefined, { dtype: 'float64', requiresGrad: true });

describe('autograd', () => {
  it('backward from a scalar, gradients accumulate across calls', () => {
    const x = f64([1, 2, 3]);
    backward(sum(mul(x, x)));
    expect(x.grad?.toArray()).toEqual([2, 4, 6]);
    backward(sum(mul(x, 3)));
    expect(x.grad?.toArray()).toEqual([5, 7, 9]);
  });

  it('a tensor used twice gets both contributions', () => {
    const x = f64([2]);
    backward(sum(add(mul(x, x), x)));
    expect(x.grad?.toArray()).toEqual([5]);
  });

  it('backward with a given output gradient; non-scalar without one throws', () => {
    const x = f64([1, 2]);
    const y = mul(x, 3);
    expect(() => backward(y)).toThrow(/output gradient/);
    backward(y, tensor([1, 10], undefined, { dtype: 'float64' }));
    expect(x.grad?.toArray()).toEqual([3, 30]);
  });

  it('noGrad records nothing; detach cuts the tape', () => {
    const x = f64([1]);
    const y = noGrad(() => mul(x, 2));
    expect(y.requiresGrad).toBe(false);
    expect(y.creator).toBeNull();
    const z = add(mul(detach(x), x), 0);
    backward(sum(z));
    expect(x.grad?.toArray()).toEqual([1]);
  });

  it('the tape records {id, kernelName, inputs, outputs, saved} in execution order', () => {
    const x = f64([0.5]);
    const y = tanh(mul(x, 2));
    const tape = collectTape(y);
    expect(tape.map((r) => r.kernelName)).toEqual(['Mul', 'Tanh']);
    expect(tape[0].id).toBeLessThan(tape[1].id);
    expect(tape[1].saved.outputs[0]).toBe(y);
  });

  it('BackwardPass steps one record at a time and retains non-leaf grads on request', () => {
    const x = f64([0.5, -1]);
    const h = mul(x, 2).retainGrad();
    const y = sum(tanh(h));
    const pass = new BackwardPass([y]);
    expect(pass.peek()?.kernelName).toBe('Sum');
    pass.next();
    expect(pass.peek()?.kernelName).toBe('Tanh');
    pass.run();
    expect(pass.done).toBe(true);
    const th = [Math.tanh(1), Math.tanh(-2)];
    expect(h.grad?.toArray()[0]).toBeCloseTo(1 - th[0] ** 2, 12);
    expect(x.grad?.toArray()[1]).toBeCloseTo(2 * (1 - th[1] ** 2), 12);
  });

  it('grad() returns gradients without touching .grad', () => {
    const x = f64([3]);
    const [g] = grad(sum(mul(x, x)), [x]);
    expect(g.toArray()).toEqual([6]);
    expect(x.grad).toBeNull();
  });

  it('leaf grads survive tidy; intermediates do not', () => {
    const w = f64([1, 2]);
    let mid: ReturnType<typeof mul> | undefined;
    tidy(() => {
      mid = mul(w, w);
      backward(sum(mid));
    });
    expect(mid?.isDisposed).toBe(true);
    expect(w.grad?.toArray()).toEqual([2, 4]);
  });

  it('registering a kernel or a gradient twice throws', () => {
    expect(() => registerKernel(addConfig)).toThrow(/already registered/);
    expect(() => registerGradient(addGradConfig)).toThrow(/already registered/);
  });
});
