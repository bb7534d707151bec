import { tensor } from '../tensor/create';
import { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';
import type { Graph } from '../graph/schema';
import { e, n } from '../graph/testGraphs.test-support';

/**
 * Small graphs for tests that together use every node type, each with a random batch
 * (float64, from a fixed seed). Used by the runtime tests and the PyTorch parity test.
 */
export interface GraphCase {
  readonly graph: Graph;
  readonly batch: () => Record<string, Tensor>;
  /** Dropout makes training mode random: such cases are compared in evaluation mode. */
  readonly evalMode?: boolean;
}

const rng = new Rng(42);
const rand = (shape: number[]): Tensor =>
  tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)),
    shape,
    { dtype: 'float64' },
  );
const ints = (shape: number[], k: number): Tensor =>
  tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.int(k)),
    shape,
    { dtype: 'float64' },
  );

/** Small graphs that together use every executable node type. */
export const CASES: Record<string, GraphCase> = {
  cnn: {
    graph: {
      nodes: [
        n('x', 'Input', { shape: [1, 6, 6] }),
        n('conv', 'Conv2d', { out_channels: 2, padding: 1 }),
        n('bn', 'BatchNorm'),
        n('act', 'LeakyReLU'),
        n('pool', 'MaxPool2d'),
        n('avg', 'AvgPool2d', { kernel_size: 3, stride: 1, padding: 1 }),
        n('flat', 'Flatten'),
        n('drop', 'Dropout', { p: 0.3 }),
        n('fc', 'Linear', { out_features: 3 }),
        n('y', 'Target'),
        n('loss', 'MulticlassHingeLoss', { margin: 1.5 }),
      ],
      edges: [
        e('x', 'conv'),
        e('conv', 'bn'),
        e('bn', 'act'),
        e('act', 'pool'),
        e('pool', 'avg'),
        e('avg', 'flat'),
        e('flat', 'drop'),
        e('drop', 'fc'),
        e('fc', 'loss'),
        e('y', 'loss', 'target'),
      ],
    },
    batch: () => ({ x: rand([4, 1, 6, 6]), y: ints([4], 3) }),
    evalMode: true,
  },
  recurrent: {
    graph: {
      nodes: [
        n('x', 'Input', { shape: [5, 3], kind: 'sequence' }),
        n('h', 'Input', { shape: [4] }),
        n('gru', 'GRU', { hidden_size: 4, bidirectional: true }),
        n('rnn', 'RNN', { hidden_size: 4, nonlinearity: 'relu', num_layers: 2 }),
        n('lstm', 'LSTM', { hidden_size: 4 }),
        n('cat', 'Concat'),
        n('fc', 'Linear', { out_features: 2 }),
        n('ls', 'LogSoftmax'),
        n('y', 'Target'),
        n('loss', 'NLLLoss'),
      ],
      edges: [
        e('x', 'gru'),
        e('x', 'rnn'),
        e('h', 'rnn', 'h0'),
        e('x', 'lstm'),
        e('h', 'lstm', 'c0'),
        e('gru', 'cat', 'a', 'hidden'),
        e('rnn', 'cat', 'b', 'hidden'),
        e('lstm', 'cat', 'c', 'cell'),
        e('cat', 'fc'),
        e('fc', 'ls'),
        e('ls', 'loss'),
        e('y', 'loss', 'target'),
      ],
    },
    batch: () => ({ x: rand([3, 5, 3]), h: rand([3, 4]), y: ints([3], 2) }),
  },
  attention: {
    graph: {
      nodes: [
        n('tok', 'Input', { shape: [4], kind: 'indices' }),
        n('emb', 'Embedding', { num_embeddings: 7, embedding_dim: 6 }),
        n('mha', 'MultiheadAttention', { num_heads: 2 }),
        n('sdpa', 'ScaledDotProductAttention', { causal: true }),
        n('add', 'AdditiveAttention', { hidden_size: 5 }),
        n('sum', 'Add'),
        n('r', 'Reshape', { shape: [-1] }),
        n('fc', 'Linear', { out_features: 1 }),
        n('sig', 'Sigmoid'),
        n('y', 'Target', { kind: 'real-targets', shape: [1] }),
        n('loss', 'MSELoss', { reduction: 'sum' }),
      ],
      edges: [
        e('tok', 'emb'),
        e('emb', 'mha', 'query'),
        e('mha', 'sdpa', 'query', 'output'),
        e('emb', 'sdpa', 'key'),
        e('emb', 'sdpa', 'value'),
        e('sdpa', 'add', 'query', 'output'),
        e('emb', 'add', 'key'),
        e('add', 'sum', 'a', 'output'),
        e('mha', 'sum', 'b', 'output'),
        e('sum', 'r'),
        e('r', 'fc'),
        e('fc', 'sig'),
        e('sig', 'loss'),
        e('y', 'loss', 'target'),
      ],
    },
    batch: () => ({ tok: ints([2, 4], 7), y: rand([2, 1]) }),
  },
  norm: {
    graph: {
      nodes: [
        n('x', 'Input', { shape: [3] }),
        n('fc1', 'Linear', { out_features: 4 }),
        n('bn', 'BatchNorm', { momentum: 0.2 }),
        n('act', 'ReLU'),
        n('fc2', 'Linear', { out_features: 2 }),
        n('y', 'Target'),
        n('loss', 'CrossEntropyLoss'),
      ],
      edges: [
        e('x', 'fc1'),
        e('fc1', 'bn'),
        e('bn', 'act'),
        e('act', 'fc2'),
        e('fc2', 'loss'),
        e('y', 'loss', 'target'),
      ],
    },
    batch: () => ({ x: rand([6, 3]), y: ints([6], 2) }),
  },
  binary: {
    graph: {
      nodes: [
        n('x', 'Input', { shape: [3] }),
        n('fc', 'Linear', { out_features: 1 }),
        n('y1', 'Target', { kind: 'pm1-labels', shape: [] }),
        n('y2', 'Target', { kind: 'binary-labels', shape: [1] }),
        n('l1', 'LogisticLoss'),
        n('l2', 'HingeLoss'),
        n('l3', 'PerceptronLoss'),
        n('l4', 'HingeLoss01'),
        n('l5', 'BCEWithLogitsLoss'),
        n('l6', 'L1Loss'),
        n('s', 'Sign'),
        n('t', 'Threshold'),
        n('p', 'SigmoidProbability'),
        n('sm', 'Softmax'),
        n('q', 'SoftmaxProbability'),
        n('am', 'Argmax'),
        n('th', 'Tanh'),
        n('re', 'ReLU'),
        n('fc3', 'Linear', { out_features: 3 }),
        n('yc', 'Target'),
        n('ce', 'CrossEntropyLoss'),
      ],
      edges: [
        e('x', 'fc'),
        e('fc', 'l1'),
        e('y1', 'l1', 'target'),
        e('fc', 'l2'),
        e('y1', 'l2', 'target'),
        e('fc', 'l3'),
        e('y1', 'l3', 'target'),
        e('fc', 'l4'),
        e('y2', 'l4', 'target'),
        e('fc', 'l5'),
        e('y2', 'l5', 'target'),
        e('fc', 'l6'),
        e('y2', 'l6', 'target'),
        e('fc', 's'),
        e('fc', 't'),
        e('fc', 'p'),
        e('x', 'th'),
        e('th', 're'),
        e('re', 'fc3'),
        e('fc3', 'sm'),
        e('fc3', 'q'),
        e('fc3', 'am'),
        e('fc3', 'ce'),
        e('yc', 'ce', 'target'),
      ],
    },
    batch: () => ({
      x: rand([5, 3]),
      y1: tensor([1, -1, -1, 1, 1], undefined, { dtype: 'float64' }),
      y2: tensor([[1], [0], [0], [1], [1]], undefined, { dtype: 'float64' }),
      yc: ints([5], 3),
    }),
  },
  sequenceLoss: {
    // Cross-entropy and NLL over N×T×C scores with N×T targets, padding (class 0) ignored: the
    // emitted PyTorch transposes the scores to torch's N×C×T.
    graph: {
      nodes: [
        n('tok', 'Input', { shape: [5], kind: 'indices' }),
        n('emb', 'Embedding', { num_embeddings: 6, embedding_dim: 3 }),
        n('fc', 'Linear', { out_features: 4 }),
        n('lsm', 'LogSoftmax'),
        n('y', 'Target', { kind: 'class-labels', shape: [5] }),
        n('ce', 'CrossEntropyLoss', { ignore_index: 0 }),
        n('nll', 'NLLLoss', { ignore_index: 0, reduction: 'sum' }),
      ],
      edges: [
        e('tok', 'emb'),
        e('emb', 'fc'),
        e('fc', 'ce'),
        e('y', 'ce', 'target'),
        e('fc', 'lsm'),
        e('lsm', 'nll'),
        e('y', 'nll', 'target'),
      ],
    },
    batch: () => ({
      tok: ints([3, 5], 6),
      y: tensor([1, 3, 2, 0, 0, 2, 2, 1, 3, 0, 3, 1, 0, 0, 0], [3, 5], { dtype: 'float64' }),
    }),
  },
  plumbing: {
    graph: {
      nodes: [
        n('x', 'Input', { shape: [4, 5], kind: 'sequence' }),
        n('sel', 'Select', { dim: 1, index: -1 }),
        n('sl', 'Slice', { dim: 2, start: 1, end: null, step: 2 }),
        n('tr', 'Transpose', { dim0: 1, dim1: 2 }),
        n('pm', 'Permute', { dims: [0, 2, 1] }),
        n('rmax', 'Reduce', { op: 'max', dim: 1 }),
        n('rmean', 'Reduce', { op: 'mean', dim: -1, keepdim: true }),
        n('rsum', 'Reduce', { op: 'sum', dim: 1 }),
        n('w', 'Parameter', { value: 0.7 }),
        n('c', 'Constant', { value: 1.5 }),
        n('scaled', 'Multiply'),
        n('shifted', 'Subtract'),
        n('sig', 'Sigmoid'),
        n('den', 'Add'),
        n('ratio', 'Divide'),
        n('ls', 'LogSoftmax', { dim: 1 }),
        n('flat', 'Flatten'),
        n('cat', 'Concat', { dim: 1 }),
        n('fc', 'Linear', { out_features: 3 }),
        n('y', 'Target'),
        n('loss', 'CrossEntropyLoss'),
      ],
      edges: [
        e('x', 'sel'),
        e('x', 'sl'),
        e('sl', 'tr'),
        e('tr', 'pm'),
        e('pm', 'rmax'),
        e('x', 'rmean'),
        e('rmean', 'rsum'),
        e('sel', 'scaled', 'a'),
        e('w', 'scaled', 'b'),
        e('scaled', 'shifted', 'a'),
        e('c', 'shifted', 'b'),
        e('rsum', 'sig'),
        e('sig', 'den', 'a'),
        e('c', 'den', 'b'),
        e('shifted', 'ratio', 'a'),
        e('den', 'ratio', 'b'),
        e('pm', 'ls'),
        e('ls', 'flat'),
        e('flat', 'cat', 'a'),
        e('ratio', 'cat', 'b'),
        e('rmax', 'cat', 'c'),
        e('cat', 'fc'),
        e('fc', 'loss'),
        e('y', 'loss', 'target'),
      ],
    },
    batch: () => ({ x: rand([3, 4, 5]), y: ints([3], 3) }),
  },
};
