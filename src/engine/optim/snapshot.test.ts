import { describe, expect, it } from 'vitest';
import { tensor } from '../tensor/create';
import { Adam } from './adam';
import { SGD } from './sgd';
import type { Optimizer } from './optimizer';

/** Two parameters with gradients, and an optimizer over them. */
function setup(make: (p: ReturnType<typeof tensor>[]) => Optimizer) {
  const params = [
    tensor([1, -2, 3], undefined, { requiresGrad: true }),
    tensor([0.5, 0.25], undefined, { requiresGrad: true, dtype: 'float64' }),
  ];
  const opt = make(params);
  const step = (k: number): void => {
    params.forEach((p) => {
      p.grad?.dispose();
      p.grad = tensor(
        Array.from({ length: p.size }, (_, i) => Math.sin(k + i)),
        undefined,
        { dtype: p.dtype },
      );
    });
    opt.step();
  };
  return { params, opt, step };
}

describe('optimizer snapshots', () => {
  it.each([
    ['Adam', (p: ReturnType<typeof tensor>[]) => new Adam(p, { lr: 0.1 })],
    ['SGD with momentum', (p: ReturnType<typeof tensor>[]) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true })],
  ] as const)('put %s back as it was: the same steps after it give the same weights, bit for bit', (_n, make) => {
    const { params, opt, step } = setup(make);
    const fresh = opt.snapshot();
    expect(fresh.buffers.size).toBe(0);
    step(1);
    step(2);
    const at2 = opt.snapshot();
    const w2 = params.map((p) => p.data.slice());
    step(3);
    step(4);
    const w4 = params.map((p) => p.data.slice());
    const state4 = JSON.stringify(opt.stateDict());
    // Back to step 2 (weights set by the caller), the same two steps again.
    params.forEach((p, i) => p.data.set(w2[i]));
    opt.restore(at2);
    step(3);
    step(4);
    params.forEach((p, i) => expect(p.data).toEqual(w4[i]));
    expect(JSON.stringify(opt.stateDict())).toBe(state4);
    // The snapshot kept its values while the optimizer stepped on, and a reused one is rewritten in place.
    expect(at2.steps).toBe(2);
    const again = opt.snapshot(at2);
    expect(again.buffers.values().next().value![0]).toBe(at2.buffers.values().next().value![0]);
    expect(again.steps).toBe(4);
    // A state from before any step drops the buffers made since.
    opt.restore(fresh);
    expect(opt.stateDict().steps).toBe(0);
    expect(
      Object.values(opt.stateDict().buffers)
        .flat()
        .every((b) => b === null),
    ).toBe(true);
  });
});
