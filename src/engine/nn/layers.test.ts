import { describe, it, expect } from 'vitest';
import { Rng } from '../tensor/rng';
import { randn, tensor, zeros } from '../tensor/create';
import { Conv2d } from './conv';
import { MaxPool2d } from './pooling';
import { GRU, LSTM, RNN } from './rnn';
import { Embedding } from './embedding';
import { MultiheadAttention } from './multiheadAttention';
import { AdditiveAttention } from './attention';
import { BatchNorm1d, BatchNorm2d } from './batchnorm';

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

describe('default initialisation and PyTorch names', () => {
  it('Conv2d: weight [out, in, kH, kW] and bias from U(±1/√fan_in)', () => {
    const c = new Conv2d(3, 16, [3, 5], new Rng(0));
    expect(c.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight', [16, 3, 3, 5]],
      ['bias', [16]],
    ]);
    const bound = 1 / Math.sqrt(3 * 3 * 5);
    expect(maxAbs(c.weight.data)).toBeLessThanOrEqual(bound);
    expect(maxAbs(c.weight.data)).toBeGreaterThan(0.9 * bound);
    expect(maxAbs((c.bias as { data: Float32Array }).data)).toBeLessThanOrEqual(bound);
    expect(new Conv2d(1, 2, 3, new Rng(0), { bias: false }).namedParameters().map(([n]) => n)).toEqual(['weight']);
  });

  it('LSTM / GRU / RNN: torch parameter names, shapes and order; U(±1/√hidden)', () => {
    const m = new LSTM(5, 4, new Rng(1), { numLayers: 2, bidirectional: true });
    expect(m.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      'weight_ih_l0:16x5',
      'weight_hh_l0:16x4',
      'bias_ih_l0:16',
      'bias_hh_l0:16',
      'weight_ih_l0_reverse:16x5',
      'weight_hh_l0_reverse:16x4',
      'bias_ih_l0_reverse:16',
      'bias_hh_l0_reverse:16',
      'weight_ih_l1:16x8',
      'weight_hh_l1:16x4',
      'bias_ih_l1:16',
      'bias_hh_l1:16',
      'weight_ih_l1_reverse:16x8',
      'weight_hh_l1_reverse:16x4',
      'bias_ih_l1_reverse:16',
      'bias_hh_l1_reverse:16',
    ]);
    for (const p of m.parameters()) expect(maxAbs(p.data)).toBeLessThanOrEqual(0.5);
    expect(new GRU(3, 6, new Rng(2)).namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      'weight_ih_l0:18x3',
      'weight_hh_l0:18x6',
      'bias_ih_l0:18',
      'bias_hh_l0:18',
    ]);
    expect(new RNN(3, 6, new Rng(2), { bias: false }).namedParameters().map(([n]) => n)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
    ]);
  });

  it('Embedding: N(0, 1) weights', () => {
    const e = new Embedding(200, 50, new Rng(3));
    const d = e.weight.data;
    let s = 0;
    let s2 = 0;
    for (const v of d) {
      s += v;
      s2 += v * v;
    }
    const mean = s / d.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(Math.sqrt(s2 / d.length - mean * mean) - 1)).toBeLessThan(0.05);
  });

  it('MultiheadAttention: xavier-uniform in_proj_weight, zero biases, out_proj as Linear', () => {
    const m = new MultiheadAttention(8, 2, new Rng(4));
    expect(m.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      'in_proj_weight:24x8',
      'in_proj_bias:24',
      'out_proj.weight:8x8',
      'out_proj.bias:8',
    ]);
    const bound = Math.sqrt(6 / (8 + 24));
    expect(maxAbs(m.inProjWeight.data)).toBeLessThanOrEqual(bound);
    expect(maxAbs(m.inProjWeight.data)).toBeGreaterThan(0.9 * bound);
    expect(maxAbs((m.inProjBias as { data: Float32Array }).data)).toBe(0);
    expect(maxAbs((m.outProj.bias as { data: Float32Array }).data)).toBe(0);
    expect(maxAbs(m.outProj.weight.data)).toBeLessThanOrEqual(1 / Math.sqrt(8));
  });

  it('AdditiveAttention: W_q, W_k, w_v without biases', () => {
    expect(
      new AdditiveAttention(4, 3, 5, new Rng(5)).namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`),
    ).toEqual(['W_q.weight:5x4', 'W_k.weight:5x3', 'w_v.weight:1x5']);
  });

  it('BatchNorm: weight 1, bias 0, running stats saved with the state', () => {
    const bn = new BatchNorm2d(3);
    const sd = bn.stateDict();
    expect(sd).toEqual({
      weight: [1, 1, 1],
      bias: [0, 0, 0],
      running_mean: [0, 0, 0],
      running_var: [1, 1, 1],
      num_batches_tracked: [0],
    });
  });
});

describe('layer behaviour', () => {
  it('BatchNorm1d with momentum null keeps the cumulative average of the batch statistics', () => {
    const bn = new BatchNorm1d(1, { momentum: null });
    bn.forward(tensor([[1], [3]]));
    bn.forward(tensor([[5], [9]]));
    // batch means 2 and 7; unbiased variances 2 and 8.
    expect(Array.from(bn.runningMean?.data ?? [])).toEqual([4.5]);
    expect(Array.from(bn.runningVar?.data ?? [])).toEqual([5]);
    expect(bn.stateDict().num_batches_tracked).toEqual([2]);
  });

  it('eval-mode BatchNorm uses the running statistics', () => {
    const bn = new BatchNorm1d(2).eval();
    bn.loadStateDict({
      weight: [1, 2],
      bias: [0, 1],
      running_mean: [1, -1],
      running_var: [4, 1],
      num_batches_tracked: [3],
    });
    const y = bn.forward(tensor([[3, 0]]));
    expect(y.toArray()[0]).toBeCloseTo(2 / Math.sqrt(4 + 1e-5), 6);
    expect(y.toArray()[1]).toBeCloseTo((2 * 1) / Math.sqrt(1 + 1e-5) + 1, 6);
  });

  it('unbatched recurrent input [T, I] gives output [T, D·H] and hN [L·D, H]', () => {
    const m = new GRU(3, 4, new Rng(6), { bidirectional: true });
    const r = m.forward(randn([5, 3], new Rng(7)));
    expect(r.output.shape).toEqual([5, 8]);
    expect(r.hN.shape).toEqual([2, 4]);
  });
});

describe('clear errors on bad input', () => {
  it('names the layer and the shapes at fault', () => {
    expect(() => new Conv2d(3, 4, 3, new Rng(0)).forward(zeros([1, 2, 8, 8]))).toThrow(
      /Conv2d\(3, 4\).*\[1, 2, 8, 8\]/,
    );
    expect(() => new Conv2d(1, 4, 5, new Rng(0)).forward(zeros([1, 1, 3, 3]))).toThrow(/too small/);
    expect(() => new MaxPool2d(2, { padding: 2 }).forward(zeros([1, 1, 8, 8]))).toThrow(/at most half/);
    expect(() => new LSTM(3, 4, new Rng(0)).forward(zeros([5, 2, 3]), zeros([1, 2, 4]))).toThrow(/both h0 and c0/);
    expect(() => new RNN(3, 4, new Rng(0)).forward(zeros([5, 2, 3]), zeros([2, 2, 4]))).toThrow(
      /h0 must have shape \[1, 2, 4\]/,
    );
    expect(() => new RNN(3, 4, new Rng(0)).forward(zeros([5, 2, 2]))).toThrow(
      /2 features per step but input_size is 3/,
    );
    expect(() => new MultiheadAttention(6, 4, new Rng(0))).toThrow(/multiple of num_heads/);
    expect(() =>
      new MultiheadAttention(4, 2, new Rng(0)).forward(zeros([3, 2, 4]), zeros([5, 2, 4]), zeros([4, 2, 4])),
    ).toThrow(/disagree/);
    expect(() =>
      new AdditiveAttention(4, 3, 5, new Rng(0)).forward(zeros([2, 3, 4]), zeros([2, 6, 2]), zeros([2, 6, 2])),
    ).toThrow(/AdditiveAttention expects/);
    expect(() => new Embedding(5, 2, new Rng(0)).forward([1, 5])).toThrow(/index 5 at position 1 is out of range/);
    expect(() => new BatchNorm2d(3).forward(zeros([2, 3, 4]))).toThrow(/BatchNorm2d\(3\)/);
    expect(() => new BatchNorm1d(3).forward(zeros([1, 3]))).toThrow(/more than 1 value per channel/);
  });
});
