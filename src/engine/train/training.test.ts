import { describe, it, expect } from 'vitest';
import { Rng } from '../tensor/rng';
import { tidy } from '../tensor/scope';
import { getAllocator } from '../tensor/allocator';
import { Linear } from '../nn/linear';
import { Sequential } from '../nn/sequential';
import { ReLU, Tanh } from '../nn/activations';
import { crossEntropyLoss } from '../nn/losses';
import { predictArgmax } from '../nn/predict';
import { backward } from '../autograd/backward';
import { noGrad } from '../autograd/gradMode';
import { Adam } from '../optim/adam';
import { SGD } from '../optim/sgd';
import type { Optimizer } from '../optim/optimizer';
import type { Dataset } from './dataset';
import { toTensors } from './dataset';
import { spirals, xor } from './synthetic';
import { DataLoader } from './loader';
import { accuracy } from './metrics';

function trainAccuracy(model: Sequential, ds: Dataset): number {
  return tidy(() => {
    const { x, y } = toTensors(ds);
    return accuracy(
      noGrad(() => predictArgmax(model.forward(x))),
      y,
    );
  });
}

function fit(
  model: Sequential,
  ds: Dataset,
  opt: Optimizer,
  epochs: number,
  batchSize: number,
  seed: number,
): number[] {
  const loader = new DataLoader(ds, [...Array(ds.n).keys()], { batchSize }, seed);
  const losses: number[] = [];
  for (let e = 0; e < epochs; e++) {
    for (const batch of loader.epoch()) {
      const l = tidy(() => {
        opt.zeroGrad();
        const loss = crossEntropyLoss(model.forward(batch.x), batch.y);
        backward(loss);
        opt.step();
        return loss.item();
      });
      batch.x.dispose();
      batch.y.dispose();
      losses.push(l);
    }
  }
  return losses;
}

describe('MLPs learn the course problems, deterministically from a seed', () => {
  it('XOR to 100% (2-8-2 tanh, SGD with momentum)', () => {
    const run = (): { acc: number; losses: number[]; weights: number[] } => {
      const rng = new Rng(0);
      const ds = xor(200, { seed: 1, noise: 0.15 });
      const model = new Sequential(new Linear(2, 8, rng), new Tanh(), new Linear(8, 2, rng));
      const losses = fit(model, ds, new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), 30, 20, 2);
      return { acc: trainAccuracy(model, ds), losses, weights: model.stateDict()['0.weight'] };
    };
    const a = run();
    expect(a.acc).toBe(1);
    expect(a.losses[a.losses.length - 1]).toBeLessThan(a.losses[0]);
    const b = run();
    expect(b.losses).toEqual(a.losses);
    expect(b.weights).toEqual(a.weights);
  });

  it('3-class spiral to ≥ 95% train accuracy (2-64-64-3 ReLU, Adam), without leaking memory', () => {
    const rng = new Rng(3);
    const ds = spirals(300, { classes: 3, seed: 4 });
    const model = new Sequential(
      new Linear(2, 64, rng),
      new ReLU(),
      new Linear(64, 64, rng),
      new ReLU(),
      new Linear(64, 3, rng),
    );
    const opt = new Adam(model.parameters(), { lr: 0.01 });
    fit(model, ds, opt, 5, 32, 5);
    const before = getAllocator().stats();
    fit(model, ds, opt, 195, 32, 5);
    const after = getAllocator().stats();
    // Every intermediate went back to the pool, and steady-state steps reuse pooled arrays.
    expect(after.live).toBe(before.live);
    expect(after.fresh).toBe(before.fresh);
    expect(after.reused).toBeGreaterThan(before.reused);
    expect(trainAccuracy(model, ds)).toBeGreaterThanOrEqual(0.95);
  });
});
