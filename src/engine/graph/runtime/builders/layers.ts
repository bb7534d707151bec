import { scaledDotProductAttention, AdditiveAttention } from '../../../nn/attention';
import { BatchNorm1d, BatchNorm2d } from '../../../nn/batchnorm';
import { Conv2d } from '../../../nn/conv';
import { Embedding } from '../../../nn/embedding';
import { MultiheadAttention } from '../../../nn/multiheadAttention';
import { AvgPool2d, MaxPool2d } from '../../../nn/pooling';
import { GRU, LSTM, RNN } from '../../../nn/rnn';
import type { RNNBase } from '../../../nn/rnn';
import { concat, expandDims, reshape, slice } from '../../../ops/shape';
import { tensor, zeros } from '../../../tensor/create';
import type { Tensor } from '../../../tensor/tensor';
import type { NodeBuilder } from '../builderTypes';
import { defineBuilder } from '../builderTypes';

const channels = (t: { shape: readonly number[] } | undefined): number => t!.shape[1];
const last = (t: { shape: readonly number[] } | undefined): number => t!.shape[t!.shape.length - 1];

interface RecurrentParams {
  input_size: number | null;
  hidden_size: number;
  num_layers: number;
  bias: boolean;
  bidirectional: boolean;
  nonlinearity?: 'tanh' | 'relu';
}

/** An N×H state used for every layer and direction: [L·D, N, H], as torch expects. */
function stateFor(m: RNNBase, s: Tensor | undefined): Tensor | null {
  if (!s) return null;
  const copies = m.numLayers * (m.bidirectional ? 2 : 1);
  const one = expandDims(s, 0);
  return copies === 1 ? one : concat(Array.from({ length: copies }, () => one), 0);
}

/** The last layer's final state, directions concatenated: [L·D, N, H] → [N, D·H]. */
function lastLayer(m: RNNBase, hN: Tensor): Tensor {
  const d = m.bidirectional ? 2 : 1;
  const n = hN.shape[1];
  const top = slice(hN, 0, hN.shape[0] - d, hN.shape[0]);
  if (d === 1) return reshape(top, [n, m.hiddenSize]);
  const fwd = reshape(slice(top, 0, 0, 1), [n, m.hiddenSize]);
  const bwd = reshape(slice(top, 0, 1, 2), [n, m.hiddenSize]);
  return concat([fwd, bwd], 1);
}

function recurrent(cell: 'RNN' | 'LSTM' | 'GRU'): NodeBuilder {
  return defineBuilder<RecurrentParams>(({ params: p, inputs, rng, dtype }) => {
    const opts = { numLayers: p.num_layers, bias: p.bias, batchFirst: true, bidirectional: p.bidirectional, dtype };
    const inF = p.input_size ?? last(inputs.input);
    if (cell === 'LSTM') {
      const m = new LSTM(inF, p.hidden_size, rng, opts);
      return {
        module: m,
        forward: ({ input, h0, c0 }) => {
          // torch needs both initial states or neither: the missing one starts at zero.
          const zero = (like: Tensor) => zeros(like.shape, { dtype: like.dtype });
          const h = h0 ?? (c0 ? zero(c0) : undefined);
          const c = c0 ?? (h0 ? zero(h0) : undefined);
          const r = m.forward(input, stateFor(m, h), stateFor(m, c));
          return { output: r.output, hidden: lastLayer(m, r.hN), cell: lastLayer(m, r.cN) };
        },
      };
    }
    const m = cell === 'RNN' ? new RNN(inF, p.hidden_size, rng, { ...opts, nonlinearity: p.nonlinearity ?? 'tanh' }) : new GRU(inF, p.hidden_size, rng, opts);
    return {
      module: m,
      forward: ({ input, h0 }) => {
        const r = m.forward(input, stateFor(m, h0));
        return { output: r.output, hidden: lastLayer(m, r.hN) };
      },
    };
  });
}

/** 1 where query i may look at key j (j ≤ i). */
function causalMask(lq: number, lk: number, dtype: Tensor['dtype']): Tensor {
  return tensor(Array.from({ length: lq * lk }, (_, k) => (k % lk <= Math.floor(k / lk) ? 1 : 0)), [lq, lk], { dtype });
}

export const layerBuilders: Readonly<Record<string, NodeBuilder>> = {
  Conv2d: defineBuilder<{ in_channels: number | null; out_channels: number; kernel_size: number; stride: number; padding: number; dilation: number; bias: boolean }>(({ params: p, inputs, rng, dtype }) => {
    const m = new Conv2d(p.in_channels ?? channels(inputs.input), p.out_channels, p.kernel_size, rng, { stride: p.stride, padding: p.padding, dilation: p.dilation, bias: p.bias, dtype });
    return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
  }),
  MaxPool2d: defineBuilder<{ kernel_size: number; stride: number | null; padding: number }>(({ params: p }) => {
    const m = new MaxPool2d(p.kernel_size, { stride: p.stride, padding: p.padding });
    return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
  }),
  AvgPool2d: defineBuilder<{ kernel_size: number; stride: number | null; padding: number }>(({ params: p }) => {
    const m = new AvgPool2d(p.kernel_size, { stride: p.stride, padding: p.padding });
    return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
  }),
  BatchNorm: defineBuilder<{ num_features: number | null; eps: number; momentum: number; affine: boolean }>(({ params: p, inputs, dtype }) => {
    const c = p.num_features ?? channels(inputs.input);
    const opts = { eps: p.eps, momentum: p.momentum, affine: p.affine, dtype };
    const m = inputs.input!.shape.length === 4 ? new BatchNorm2d(c, opts) : new BatchNorm1d(c, opts);
    return { module: m, forward: ({ input }, training) => ({ out: m.train(training).forward(input) }) };
  }),
  Embedding: defineBuilder<{ num_embeddings: number; embedding_dim: number }>(({ params: p, rng, dtype }) => {
    const m = new Embedding(p.num_embeddings, p.embedding_dim, rng, { dtype });
    return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
  }),
  RNN: recurrent('RNN'),
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
  ScaledDotProductAttention: defineBuilder<{ causal: boolean }>(({ params: p, inputs, dtype }) => {
    const mask = p.causal ? causalMask(inputs.query!.shape[1], inputs.key!.shape[1], dtype).keep() : null;
    return {
      forward: ({ query, key, value }) => {
        const r = scaledDotProductAttention(query, key, value, mask);
        return { output: r.output, weights: r.weights };
      },
    };
  }),
  AdditiveAttention: defineBuilder<{ hidden_size: number; query_size: number | null; key_size: number | null }>(({ params: p, inputs, rng, dtype }) => {
    const m = new AdditiveAttention(p.query_size ?? last(inputs.query), p.key_size ?? last(inputs.key), p.hidden_size, rng, { dtype });
    return {
      module: m,
      forward: ({ query, key, value }) => {
        const r = m.forward(query, key, value ?? key);
        return { output: r.output, weights: r.weights };
      },
    };
  }),
  MultiheadAttention: defineBuilder<{ embed_dim: number | null; num_heads: number; bias: boolean }>(({ params: p, inputs, rng, dtype }) => {
    const m = new MultiheadAttention(p.embed_dim ?? last(inputs.query), p.num_heads, rng, { bias: p.bias, batchFirst: true, dtype });
    return {
      module: m,
      forward: ({ query, key, value }) => {
        const k = key ?? query;
        const r = m.forward(query, k, value ?? k);
        return { output: r.output, weights: r.weights! };
      },
    };
  }),
};
