import { describe, it, expect } from 'vitest';
import { Rng } from '../tensor/rng';
import { tensor, ones } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { Linear } from './linear';
import { Dropout } from './dropout';
import { ReLU, Tanh, Sigmoid, LeakyReLU, Softmax, LogSoftmax } from './activations';
import { Module } from './module';
import { backward } from '../autograd/backward';
import { sum } from '../ops/reduce';
import { predictArgmax, predictSign, predictThreshold, sigmoidProba, softmaxProba } from './predict';

describe('Module and Linear', () => {
  it('PyTorch dotted names, stateDict round trip, zeroGrad, train/eval', () => {
    /** Sub-modules named "0", "1", … as torch.nn.Sequential names them. */
    class Chain extends Module {
      constructor(readonly layers: readonly (Module & { forward(x: Tensor): Tensor })[]) {
        super();
        layers.forEach((m, i) => this.registerModule(String(i), m));
      }
      forward(x: Tensor): Tensor {
        return this.layers.reduce((h, m) => m.forward(h), x);
      }
    }
    class Net extends Module {
      fc1 = this.registerModule('fc1', new Linear(3, 4, new Rng(1)));
      body = this.registerModule('body', new Chain([new Tanh(), new Linear(4, 2, new Rng(2))]));
    }
    const net = new Net();
    expect(net.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      'fc1.weight:4x3',
      'fc1.bias:4',
      'body.1.weight:2x4',
      'body.1.bias:2',
    ]);
    const sd = net.stateDict();
    const other = new Net();
    expect(other.stateDict()['fc1.weight']).toEqual(sd['fc1.weight']);
    const third = new Chain([new Linear(3, 4, new Rng(9))]);
    third.loadStateDict({ '0.weight': sd['fc1.weight'], '0.bias': sd['fc1.bias'] });
    expect(third.stateDict()['0.weight']).toEqual(sd['fc1.weight']);
    expect(() => third.loadStateDict({ '0.weight': [1, 2] }, false)).toThrow(/must be 12 finite numbers/);
    expect(() => third.loadStateDict({ '0.weight': sd['fc1.weight'] })).toThrow(/missing 0.bias/);
    const x = tensor([[1, 2, 3]]);
    backward(sum(net.body.forward(net.fc1.forward(x))));
    expect(net.fc1.weight.grad?.toArray().some((v) => v !== 0)).toBe(true);
    net.zeroGrad();
    expect(net.fc1.weight.grad?.toArray().every((v) => v === 0)).toBe(true);
    net.eval();
    expect(net.body.training).toBe(false);
    net.train();
    expect(net.body.layers[1].training).toBe(true);
  });

  it('Linear computes x·Wᵀ + b, also without bias and for a 1-D input', () => {
    const lin = new Linear(2, 1, new Rng(0));
    lin.loadStateDict({ weight: [[2, -1]], bias: [0.5] });
    expect(
      lin
        .forward(
          tensor([
            [1, 1],
            [3, 0],
          ]),
        )
        .toArray(),
    ).toEqual([1.5, 6.5]);
    expect(lin.forward(tensor([1, 1])).shape).toEqual([1]);
    const nb = new Linear(2, 3, new Rng(0), { bias: false });
    expect(nb.namedParameters().map(([n]) => n)).toEqual(['weight']);
    expect(() => lin.forward(tensor([[1, 2, 3]]))).toThrow(/must end with 2/);
  });

  it('Dropout: seeded, scaled by 1/(1−p) in training, identity in eval', () => {
    const x = ones([1000]);
    const a = new Dropout(0.25, new Rng(3)).forward(x).toArray();
    const b = new Dropout(0.25, new Rng(3)).forward(x).toArray();
    expect(a).toEqual(b);
    const kept = a.filter((v) => v !== 0);
    for (const v of kept) expect(v).toBeCloseTo(1 / 0.75, 6);
    expect(kept.length / 1000).toBeGreaterThan(0.7);
    expect(kept.length / 1000).toBeLessThan(0.8);
    const d = new Dropout(0.5, new Rng(1)).eval();
    expect(d.forward(x)).toBe(x);
  });

  it('activation modules', () => {
    const x = tensor([[-1, 0.5]]);
    expect(new ReLU().forward(x).toArray()).toEqual([0, 0.5]);
    expect(new LeakyReLU(0.1).forward(x).toArray()[0]).toBeCloseTo(-0.1, 6);
    expect(new Sigmoid().forward(x).toArray()[1]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 6);
    expect(
      new Softmax()
        .forward(x)
        .toArray()
        .reduce((s, v) => s + v, 0),
    ).toBeCloseTo(1, 6);
    expect(
      new LogSoftmax(1)
        .forward(x)
        .toArray()
        .every((v) => v < 0),
    ).toBe(true);
  });

  it('prediction functions', () => {
    expect(predictSign(tensor([-0.2, 0, 3])).toArray()).toEqual([-1, 1, 1]);
    expect(predictThreshold(tensor([-1, 0, 2])).toArray()).toEqual([0, 1, 1]);
    expect(predictThreshold(tensor([0.4, 0.6]), 0.5).toArray()).toEqual([0, 1]);
    expect(
      predictArgmax(
        tensor([
          [0.1, 2, 0.3],
          [5, 5, 1],
        ]),
      ).toArray(),
    ).toEqual([1, 0]);
    expect(sigmoidProba(tensor([0])).toArray()).toEqual([0.5]);
    const p = softmaxProba(tensor([[1, 2, 3]])).toArray();
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
  });
});
