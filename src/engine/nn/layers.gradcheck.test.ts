import { describe, it, expect } from 'vitest';
import type { Tensor } from '../tensor/tensor';
import { Rng } from '../tensor/rng';
import { randn, tensor } from '../tensor/create';
import { tidy } from '../tensor/scope';
import { concat, reshape } from '../ops/shape';
import { mul } from '../ops/arithmetic';
import { sum } from '../ops/reduce';
import { backward } from '../autograd/backward';
import { gradCheck } from '../ops/gradcheck';
import type { Module } from './module';
import { Conv2d } from './conv';
import { AvgPool2d, MaxPool2d } from './pooling';
import { GRU, LSTM, RNN } from './rnn';
import type { RnnOptions } from './rnn';
import { Embedding } from './embedding';
import { AdditiveAttention, scaledDotProductAttention } from './attention';
import { MultiheadAttention } from './multiheadAttention';
import { BatchNorm1d, BatchNorm2d } from './batchnorm';

// Float64 central-difference checks (ops/gradcheck: |a − n| ≤ 1e-5 + 1e-3·|n|, eps 1e-6) of the
// composed layers, through every input and parameter at once. Several outputs are flattened
// and concatenated into one tensor so that all of them feed the projected loss.
const F64 = { dtype: 'float64' } as const;

function input(shape: number[], seed: number): Tensor {
  return randn(shape, new Rng(seed), { dtype: 'float64', requiresGrad: true }).keep();
}

function flat(...ts: Tensor[]): Tensor {
  return concat(
    ts.map((t) => reshape(t, [-1])),
    0,
  );
}

function check(inputs: Tensor[], m: Module | null, f: () => Tensor): void {
  const all = [...inputs, ...(m ? m.parameters() : [])];
  const res = tidy(() => gradCheck(() => f(), all));
  expect(res.failures).toEqual([]);
}

const mask = (values: number[], shape: number[]): Tensor => tensor(values, shape, F64).keep();

describe('gradient checks of the composed layers (float64, central differences)', () => {
  it('Conv2d module with stride, padding and dilation, then max and average pooling', () => {
    const conv = new Conv2d(2, 3, [3, 2], new Rng(1), {
      stride: [1, 2],
      padding: [2, 1],
      dilation: [2, 1],
      dtype: 'float64',
    });
    const mp = new MaxPool2d(2, { stride: 1, padding: 1 });
    const ap = new AvgPool2d(3, { stride: 2, padding: 1 });
    const x = input([2, 2, 6, 5], 2);
    check([x], conv, () => flat(mp.forward(conv.forward(x)), ap.forward(conv.forward(x))));
  });

  const recurrentCases: { name: string; make: (o: RnnOptions) => RNN | LSTM | GRU; opts: RnnOptions; T: number }[] = [
    {
      name: 'RNN tanh, 2 layers, bidirectional',
      make: (o) => new RNN(3, 4, new Rng(3), o),
      opts: { numLayers: 2, bidirectional: true },
      T: 4,
    },
    {
      name: 'RNN relu, batch_first',
      make: (o) => new RNN(3, 4, new Rng(4), { ...o, nonlinearity: 'relu' }),
      opts: { batchFirst: true },
      T: 4,
    },
    {
      name: 'LSTM, 2 layers, bidirectional, batch_first',
      make: (o) => new LSTM(3, 3, new Rng(5), o),
      opts: { numLayers: 2, bidirectional: true, batchFirst: true },
      T: 3,
    },
    { name: 'GRU, bidirectional', make: (o) => new GRU(3, 4, new Rng(6), o), opts: { bidirectional: true }, T: 4 },
    {
      name: 'GRU without bias, 2 layers',
      make: (o) => new GRU(2, 3, new Rng(7), o),
      opts: { numLayers: 2, bias: false },
      T: 3,
    },
    {
      name: 'LSTM over 20 steps, bidirectional',
      make: (o) => new LSTM(2, 3, new Rng(8), o),
      opts: { bidirectional: true },
      T: 20,
    },
    { name: 'RNN tanh over 20 steps', make: (o) => new RNN(2, 3, new Rng(9), o), opts: {}, T: 20 },
  ];

  for (const c of recurrentCases) {
    it(`${c.name}: output and final states w.r.t. input, initial states and every weight`, () => {
      const m = c.make({ ...c.opts, dtype: 'float64' });
      const D = m.bidirectional ? 2 : 1;
      const N = 2;
      const x = input(m.batchFirst ? [N, c.T, m.inputSize] : [c.T, N, m.inputSize], 10);
      const h0 = input([m.numLayers * D, N, m.hiddenSize], 11);
      if (m instanceof LSTM) {
        const c0 = input([m.numLayers * D, N, m.hiddenSize], 12);
        check([x, h0, c0], m, () => {
          const r = m.forward(x, h0, c0);
          return flat(r.output, r.hN, r.cN);
        });
      } else {
        check([x, h0], m, () => {
          const r = m.forward(x, h0);
          return flat(r.output, r.hN);
        });
      }
    });
  }

  it('Embedding (repeated indices accumulate)', () => {
    const emb = new Embedding(6, 3, new Rng(13), { dtype: 'float64' });
    check([], emb, () => emb.forward([1, 0, 3, 3, 5, 0], [2, 3]));
  });

  it('Embedding with padding_idx: the padding row is read but, as in PyTorch, never gets gradient', () => {
    const emb = new Embedding(6, 3, new Rng(13), { paddingIdx: 0, dtype: 'float64' });
    expect(Array.from(emb.weight.data.subarray(0, 3))).toEqual([0, 0, 0]);
    emb.weight.data.set([0.5, -1, 2], 0);
    tidy(() => {
      const y = emb.forward([1, 0, 3, 0], [4]);
      expect(Array.from(y.data.subarray(3, 6))).toEqual([0.5, -1, 2]);
      backward(sum(mul(y, y)));
    });
    const g = Array.from(emb.weight.grad?.data ?? []);
    expect(g.slice(0, 3)).toEqual([0, 0, 0]);
    expect(g.slice(3, 6).every((v) => v !== 0)).toBe(true);
  });

  it('scaled dot-product attention with and without a mask, and with a causal 4-D mask', () => {
    const q = input([2, 3, 4], 14);
    const k = input([2, 5, 4], 15);
    const v = input([2, 5, 2], 16);
    const m = mask([1, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1], [3, 5]);
    check([q, k, v], null, () => {
      const a = scaledDotProductAttention(q, k, v);
      const b = scaledDotProductAttention(q, k, v, m);
      return flat(a.output, a.weights, b.output, b.weights);
    });
    const x = input([1, 2, 4, 3], 17);
    const causal = mask([1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1], [4, 4]);
    check([x], null, () => scaledDotProductAttention(x, x, x, causal).output);
  });

  it('additive (Bahdanau) attention with a key mask', () => {
    const att = new AdditiveAttention(3, 2, 4, new Rng(18), { dtype: 'float64' });
    const q = input([2, 2, 3], 19);
    const k = input([2, 4, 2], 20);
    const v = input([2, 4, 3], 21);
    const m = mask([1, 1, 0, 1, 1, 0, 1, 1], [2, 1, 4]);
    check([q, k, v], att, () => {
      const r = att.forward(q, k, v, m);
      return flat(r.output, r.weights);
    });
  });

  it('MultiheadAttention: self-attention with a causal mask, cross-attention with key padding, per-head weights', () => {
    const mha = new MultiheadAttention(4, 2, new Rng(22), { dtype: 'float64' });
    for (const p of mha.parameters())
      if (p.data.every((v) => v === 0)) p.data.set(randn(p.shape, new Rng(23), F64).data);
    const x = input([3, 2, 4], 24);
    const causal = mask([0, 1, 1, 0, 0, 1, 0, 0, 0], [3, 3]);
    check([x], mha, () => {
      const r = mha.forward(x, x, x, { attnMask: causal });
      return flat(r.output, r.weights as Tensor);
    });
    const q = input([2, 4, 4], 25);
    const kv = input([2, 5, 4], 26);
    const bf = new MultiheadAttention(4, 4, new Rng(27), { batchFirst: true, dtype: 'float64' });
    const kpm = mask([0, 0, 0, 1, 1, 0, 1, 0, 0, 0], [2, 5]);
    check([q, kv], bf, () => {
      const r = bf.forward(q, kv, kv, { keyPaddingMask: kpm, averageAttnWeights: false });
      return flat(r.output, r.weights as Tensor);
    });
  });

  it('BatchNorm1d and BatchNorm2d in training mode (batch statistics) and eval mode', () => {
    const bn1 = new BatchNorm1d(3, { dtype: 'float64' });
    bn1.weight?.data.set([0.5, 1.5, -1]);
    bn1.bias?.data.set([0.1, -0.2, 0.3]);
    const x1 = input([4, 3, 2], 28);
    check([x1], bn1, () => bn1.forward(x1));
    const bn2 = new BatchNorm2d(2, { dtype: 'float64' });
    const x2 = input([3, 2, 2, 3], 29);
    check([x2], bn2, () => bn2.forward(x2));
    bn2.eval();
    check([x2], bn2, () => bn2.forward(x2));
  });
});
