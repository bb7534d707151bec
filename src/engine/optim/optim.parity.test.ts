import { describe, it, expect } from 'vitest';
import { CORE_PARITY } from '../nn/coreParity.test-support';
import { tensor } from '../tensor/create';
import type { Optimizer } from './optimizer';
import { SGD } from './sgd';
import { Adam, AdamW } from './adam';
import type { Tensor } from '../tensor/tensor';

function make(type: string, p: Tensor, o: Record<string, number | boolean | number[]>): Optimizer {
  const betas = o.betas as [number, number] | undefined;
  const wd = o.weight_decay as number | undefined;
  if (type === 'SGD') {
    return new SGD([p], {
      lr: o.lr as number,
      momentum: o.momentum as number | undefined,
      dampening: o.dampening as number | undefined,
      nesterov: o.nesterov as boolean | undefined,
      weightDecay: wd,
    });
  }
  const opts = { lr: o.lr as number, betas, eps: o.eps as number | undefined, weightDecay: wd };
  return type === 'Adam' ? new Adam([p], opts) : new AdamW([p], opts);
}

describe('optimizers follow torch.optim update rules', () => {
  for (const c of CORE_PARITY.optimizers) {
    it(`${c.name} ${JSON.stringify(c.options)} (float64), with state save/restore mid-way`, () => {
      const p = tensor(c.init, undefined, { dtype: 'float64', requiresGrad: true });
      let opt = make(c.type, p, c.options);
      c.grads.forEach((g, k) => {
        p.grad = tensor(g, undefined, { dtype: 'float64' }).keep();
        opt.step();
        p.toArray().forEach((v, i) =>
          expect(Math.abs(v - c.params[k][i]), `step ${k} element ${i}`).toBeLessThan(
            1e-10 * (1 + Math.abs(c.params[k][i])),
          ),
        );
        if (k === 2) {
          // Restore into a fresh optimizer: the remaining steps must still match torch.
          const saved = JSON.parse(JSON.stringify(opt.stateDict())) as ReturnType<Optimizer['stateDict']>;
          opt = make(c.type, p, { lr: 123 });
          opt.loadStateDict(saved);
        }
      });
    });
  }

  it('float32 parameters stay within float32 rounding of torch', () => {
    const c = CORE_PARITY.optimizers.find((o) => o.type === 'Adam');
    if (c === undefined) throw new Error('no Adam case in the references');
    const p = tensor(c.init, undefined, { requiresGrad: true });
    const opt = make(c.type, p, c.options);
    c.grads.forEach((g, k) => {
      p.grad = tensor(g).keep();
      opt.step();
      p.toArray().forEach((v, i) => expect(Math.abs(v - c.params[k][i])).toBeLessThan(1e-5));
    });
  });

  it('rejects bad options and mismatched state', () => {
    const p = tensor([1], undefined, { requiresGrad: true });
    expect(() => new SGD([p], { lr: -1 })).toThrow(/learning rate/);
    expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow(/Nesterov/);
    expect(() => new SGD([tensor([1])], { lr: 0.1 })).toThrow(/require grad/);
    expect(() => new Adam([p]).loadStateDict(new SGD([p], { lr: 1 }).stateDict())).toThrow(/SGD/);
  });
});
