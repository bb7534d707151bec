import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { Rng } from '../tensor/rng';
import type { Module } from './module';
import type { ParityCase, ParityRun } from './parityCases.test-support';
import { toInts, toTensor } from './parityCases.test-support';
import { Conv2d } from './conv';
import { AvgPool2d, MaxPool2d } from './pooling';
import { GRU, LSTM, RNN } from './rnn';
import { Embedding } from './embedding';
import { AdditiveAttention, scaledDotProductAttention } from './attention';
import { MultiheadAttention } from './multiheadAttention';
import { BatchNorm1d, BatchNorm2d } from './batchnorm';
import { ScalarParameter } from './scalar';
import { add, div, mul, sub } from '../ops/arithmetic';
import { logSoftmax, softmax } from '../ops/activation';
import { mean, sum } from '../ops/reduce';
import { maxAlong, select, sliceStep } from '../ops/select';
import { permute, transpose } from '../ops/shape';

/**
 * Builds the engine's version of each PyTorch parity case: the module made from the torch
 * config, its parameters loaded *by PyTorch name* (strict, so a misnamed or mis-shaped
 * parameter fails), run on the case's inputs. Used by layers.parity.test.ts.
 */
type Cfg = Record<string, unknown>;
type Builder = (c: ParityCase, dtype: DType) => ParityRun;

const num = (v: unknown): number => v as number;
const pairOrNum = (v: unknown): number | [number, number] =>
  Array.isArray(v) ? [v[0] as number, v[1] as number] : (v as number);

function load(m: Module, c: ParityCase, extra: Record<string, number[]> = {}): void {
  const dict: Record<string, number[]> = { ...extra };
  for (const [k, p] of Object.entries({ ...c.params, ...c.buffers })) dict[k] = p.data.map(Number);
  m.loadStateDict(dict);
}

function floatInputs(c: ParityCase, dtype: DType): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, p] of Object.entries(c.inputs)) out[k] = toTensor(p, dtype, c.grads[k] !== undefined);
  return out;
}

function params(m: Module): Record<string, Tensor> {
  return Object.fromEntries(m.namedParameters());
}

const conv: Builder = (c, dtype) => {
  const cfg = c.config as Cfg;
  const m = new Conv2d(num(cfg.in_channels), num(cfg.out_channels), pairOrNum(cfg.kernel_size), new Rng(0), {
    stride: pairOrNum(cfg.stride),
    padding: pairOrNum(cfg.padding),
    dilation: pairOrNum(cfg.dilation),
    bias: cfg.bias as boolean,
    dtype,
  });
  load(m, c);
  const x = floatInputs(c, dtype);
  return { outputs: { output: m.forward(x.input) }, gradOf: { ...params(m), ...x } };
};

const maxPool: Builder = (c, dtype) => {
  const cfg = c.config as Cfg;
  const m = new MaxPool2d(pairOrNum(cfg.kernel_size), {
    stride: cfg.stride === null ? null : pairOrNum(cfg.stride),
    padding: pairOrNum(cfg.padding),
  });
  const x = floatInputs(c, dtype);
  return { outputs: { output: m.forward(x.input) }, gradOf: x };
};

const avgPool: Builder = (c, dtype) => {
  const cfg = c.config as Cfg;
  const m = new AvgPool2d(pairOrNum(cfg.kernel_size), {
    stride: cfg.stride === null ? null : pairOrNum(cfg.stride),
    padding: pairOrNum(cfg.padding),
    countIncludePad: cfg.count_include_pad as boolean,
  });
  const x = floatInputs(c, dtype);
  return { outputs: { output: m.forward(x.input) }, gradOf: x };
};

const recurrent: Builder = (c, dtype): ParityRun => {
  const cfg = c.config as Cfg;
  const opts = {
    numLayers: num(cfg.num_layers),
    bias: cfg.bias as boolean,
    batchFirst: cfg.batch_first as boolean,
    bidirectional: cfg.bidirectional as boolean,
    dtype,
  };
  const I = num(cfg.input_size);
  const H = num(cfg.hidden_size);
  const x = floatInputs(c, dtype);
  if (c.layer === 'LSTM') {
    const m = new LSTM(I, H, new Rng(0), opts);
    load(m, c);
    const r = m.forward(x.input, x.h_0, x.c_0);
    return { outputs: { output: r.output, h_n: r.hN, c_n: r.cN }, gradOf: { ...params(m), ...x } };
  }
  const m =
    c.layer === 'GRU'
      ? new GRU(I, H, new Rng(0), opts)
      : new RNN(I, H, new Rng(0), { ...opts, nonlinearity: cfg.nonlinearity as 'tanh' | 'relu' });
  load(m, c);
  const r = m.forward(x.input, x.h_0);
  return { outputs: { output: r.output, h_n: r.hN }, gradOf: { ...params(m), ...x } };
};

const embedding: Builder = (c, dtype) => {
  const cfg = c.config as Cfg;
  const m = new Embedding(num(cfg.num_embeddings), num(cfg.embedding_dim), new Rng(0), {
    paddingIdx: cfg.padding_idx as number | null,
    dtype,
  });
  load(m, c);
  const idx = c.inputs.input;
  return { outputs: { output: m.forward(toInts(idx), idx.shape) }, gradOf: params(m) };
};

const sdpa: Builder = (c, dtype) => {
  const x = floatInputs(c, dtype);
  const r = scaledDotProductAttention(x.query, x.key, x.value, x.mask);
  return { outputs: { output: r.output, weights: r.weights }, gradOf: x };
};

const additive: Builder = (c, dtype) => {
  const cfg = c.config as Cfg;
  const m = new AdditiveAttention(num(cfg.query_size), num(cfg.key_size), num(cfg.num_hiddens), new Rng(0), { dtype });
  load(m, c);
  const x = floatInputs(c, dtype);
  const r = m.forward(x.query, x.key, x.value, x.mask);
  return { outputs: { output: r.output, weights: r.weights }, gradOf: { ...params(m), ...x } };
};

const mha: Builder = (c, dtype) => {
  const cfg = c.config as Cfg;
  const m = new MultiheadAttention(num(cfg.embed_dim), num(cfg.num_heads), new Rng(0), {
    bias: cfg.bias === undefined ? true : (cfg.bias as boolean),
    batchFirst: cfg.batch_first as boolean,
    dtype,
  });
  load(m, c);
  const x = floatInputs(c, dtype);
  const q = x.x ?? x.query;
  const r = m.forward(q, x.x ?? x.key, x.x ?? x.value, {
    keyPaddingMask: x.key_padding_mask,
    attnMask: x.attn_mask,
    averageAttnWeights: cfg.average_attn_weights === undefined ? true : (cfg.average_attn_weights as boolean),
  });
  return {
    outputs: { attn_output: r.output, attn_output_weights: r.weights as Tensor },
    gradOf: { ...params(m), ...x },
  };
};

const batchNorm: Builder = (c, dtype) => {
  const cfg = c.config as Cfg;
  const opts = { eps: num(cfg.eps), momentum: num(cfg.momentum), dtype };
  const m =
    c.layer === 'BatchNorm2d'
      ? new BatchNorm2d(num(cfg.num_features), opts)
      : new BatchNorm1d(num(cfg.num_features), opts);
  load(m, c, { num_batches_tracked: [0] });
  m.train(cfg.training as boolean);
  const x = floatInputs(c, dtype);
  const out = m.forward(x.input);
  return {
    outputs: { output: out },
    gradOf: { ...params(m), ...x },
    buffers: Object.fromEntries(m.namedBuffers()),
  };
};

/** A stateless op of the case's inputs (the tensor-plumbing nodes' engine functions). */
const op =
  (f: (x: Record<string, Tensor>, cfg: Cfg) => Tensor): Builder =>
  (c, dtype) => {
    const x = floatInputs(c, dtype);
    return { outputs: { output: f(x, c.config as Cfg) }, gradOf: x };
  };

const reduceOp = op(({ input }, cfg) => {
  const f = cfg.op === 'max' ? maxAlong : cfg.op === 'sum' ? sum : mean;
  return f(input, num(cfg.dim), cfg.keepdim as boolean);
});

const scalarParameter: Builder = (c, dtype) => {
  const m = new ScalarParameter(0, { dtype });
  load(m, c);
  const x = floatInputs(c, dtype);
  return { outputs: { output: add(mul(m.forward(), x.x), m.forward()) }, gradOf: { ...params(m), ...x } };
};

export const PARITY_BUILDERS: Readonly<Record<string, Builder>> = {
  Select: op(({ input }, cfg) => select(input, num(cfg.dim), num(cfg.index))),
  Slice: op(({ input }, cfg) =>
    sliceStep(input, num(cfg.dim), num(cfg.start), cfg.end === null ? null : num(cfg.end), num(cfg.step)),
  ),
  Reduce: reduceOp,
  Transpose: op(({ input }, cfg) => transpose(input, num(cfg.dim0), num(cfg.dim1))),
  Permute: op(({ input }, cfg) => permute(input, cfg.dims as number[])),
  Multiply: op(({ a, b }) => mul(a, b)),
  Subtract: op(({ a, b }) => sub(a, b)),
  Divide: op(({ a, b }) => div(a, b)),
  Softmax: op(({ input }, cfg) => softmax(input, num(cfg.dim))),
  LogSoftmax: op(({ input }, cfg) => logSoftmax(input, num(cfg.dim))),
  Parameter: scalarParameter,
  Conv2d: conv,
  MaxPool2d: maxPool,
  AvgPool2d: avgPool,
  RNN: recurrent,
  LSTM: recurrent,
  GRU: recurrent,
  Embedding: embedding,
  ScaledDotProductAttention: sdpa,
  AdditiveAttention: additive,
  MultiheadAttention: mha,
  BatchNorm1d: batchNorm,
  BatchNorm2d: batchNorm,
};
