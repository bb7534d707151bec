import { scaledDotProductAttention, AdditiveAttention } from '../../../nn/attention';
import { BatchNorm1d, BatchNorm2d } from '../../../nn/batchnorm';
import { Conv2d } from '../../../nn/conv';
import { Embedding } from '../../../nn/embedding';
import { MultiheadAttention } from '../../../nn/multiheadAttention';
import { AvgPool2d, MaxPool2d } from '../../../nn/pooling';
import { GRU, LSTM, RNN } from '../../../nn/rnn';
import { zeros } from '../../../tensor/create';
import type { Tensor } from '../../../tensor/tensor';
import type { NodeBuilder } from '../builderTypes';
import { defineBuilder } from '../builderTypes';
import { causalMask, initialState, lastLayerState } from '../layerHelpers';

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
          const r = m.forward(input, initialState(m, h), initialState(m, c));
          return { output: r.output, hidden: lastLayerState(m, r.hN), cell: lastLayerState(m, r.cN) };
        },
      };
    }
    const m =
      cell === 'RNN'
        ? new RNN(inF, p.hidden_size, rng, { ...opts, nonlinearity: p.nonlinearity ?? 'tanh' })
        : new GRU(inF, p.hidden_size, rng, opts);
    return {
      module: m,
      forward: ({ input, h0 }) => {
        const r = m.forward(input, initialState(m, h0));
        return { output: r.output, hidden: lastLayerState(m, r.hN) };
      },
    };
  });
}

export const layerBuilders: Readonly<Record<string, NodeBuilder>> = {
  Conv2d: defineBuilder<{
    in_channels: number | null;
    out_channels: number;
    kernel_size: number;
    stride: number;
    padding: number;
    dilation: number;
    bias: boolean;
  }>(({ params: p, inputs, rng, dtype }) => {
    const m = new Conv2d(p.in_channels ?? channels(inputs.input), p.out_channels, p.kernel_size, rng, {
      stride: p.stride,
      padding: p.padding,
      dilation: p.dilation,
      bias: p.bias,
      dtype,
    });
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
  BatchNorm: defineBuilder<{ num_features: number | null; eps: number; momentum: number; affine: boolean }>(
    ({ params: p, inputs, dtype }) => {
      const c = p.num_features ?? channels(inputs.input);
      const opts = { eps: p.eps, momentum: p.momentum, affine: p.affine, dtype };
      const m = inputs.input!.shape.length === 4 ? new BatchNorm2d(c, opts) : new BatchNorm1d(c, opts);
      return { module: m, forward: ({ input }, training) => ({ out: m.train(training).forward(input) }) };
    },
  ),
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
  AdditiveAttention: defineBuilder<{ hidden_size: number; query_size: number | null; key_size: number | null }>(
    ({ params: p, inputs, rng, dtype }) => {
      const m = new AdditiveAttention(
        p.query_size ?? last(inputs.query),
        p.key_size ?? last(inputs.key),
        p.hidden_size,
        rng,
        { dtype },
      );
      return {
        module: m,
        forward: ({ query, key, value }) => {
          const r = m.forward(query, key, value ?? key);
          return { output: r.output, weights: r.weights };
        },
      };
    },
  ),
  MultiheadAttention: defineBuilder<{ embed_dim: number | null; num_heads: number; bias: boolean }>(
    ({ params: p, inputs, rng, dtype }) => {
      const m = new MultiheadAttention(p.embed_dim ?? last(inputs.query), p.num_heads, rng, {
        bias: p.bias,
        batchFirst: true,
        dtype,
      });
      return {
        module: m,
        forward: ({ query, key, value }) => {
          const k = key ?? query;
          const r = m.forward(query, k, value ?? k);
          return { output: r.output, weights: r.weights! };
        },
      };
    },
  ),
};
