import { describe, expect, it } from 'vitest';
import { grad } from '../../autograd/backward';
import { tensor } from '../../tensor/create';
import { Rng } from '../../tensor/rng';
import type { Tensor } from '../../tensor/tensor';
import { nodeTypes } from '../registry/registerAll';
import type { Graph } from '../schema';
import { e, n } from '../testGraphs';
import { compileGraph } from './compile';
import { BUILDERS, DATA_TYPES } from './builderRegistry';
import { StepSession } from './stepSession';

const rng = new Rng(42);
const rand = (shape: number[]): Tensor => tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)), shape, { dtype: 'float64' });
const ints = (shape: number[], k: number): Tensor => tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.int(k)), shape, { dtype: 'float64' });

/** Small graphs that together use every executable node type. */
const CASES: Record<string, { graph: Graph; batch: () => Record<string, Tensor> }> = {
  cnn: {
    graph: {
      nodes: [n('x', 'Input', { shape: [1, 6, 6] }), n('conv', 'Conv2d', { out_channels: 2, padding: 1 }), n('bn', 'BatchNorm'), n('act', 'LeakyReLU'), n('pool', 'MaxPool2d'), n('avg', 'AvgPool2d', { kernel_size: 3, stride: 1, padding: 1 }), n('flat', 'Flatten'), n('drop', 'Dropout', { p: 0.3 }), n('fc', 'Linear', { out_features: 3 }), n('y', 'Target'), n('loss', 'MulticlassHingeLoss', { margin: 1.5 })],
      edges: [e('x', 'conv'), e('conv', 'bn'), e('bn', 'act'), e('act', 'pool'), e('pool', 'avg'), e('avg', 'flat'), e('flat', 'drop'), e('drop', 'fc'), e('fc', 'loss'), e('y', 'loss', 'target')],
    },
    batch: () => ({ x: rand([4, 1, 6, 6]), y: ints([4], 3) }),
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
      edges: [e('x', 'gru'), e('x', 'rnn'), e('h', 'rnn', 'h0'), e('x', 'lstm'), e('h', 'lstm', 'c0'), e('gru', 'cat', 'a', 'hidden'), e('rnn', 'cat', 'b', 'hidden'), e('lstm', 'cat', 'c', 'cell'), e('cat', 'fc'), e('fc', 'ls'), e('ls', 'loss'), e('y', 'loss', 'target')],
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
      edges: [e('tok', 'emb'), e('emb', 'mha', 'query'), e('mha', 'sdpa', 'query', 'output'), e('emb', 'sdpa', 'key'), e('emb', 'sdpa', 'value'), e('sdpa', 'add', 'query', 'output'), e('emb', 'add', 'key'), e('add', 'sum', 'a', 'output'), e('mha', 'sum', 'b', 'output'), e('sum', 'r'), e('r', 'fc'), e('fc', 'sig'), e('sig', 'loss'), e('y', 'loss', 'target')],
    },
    batch: () => ({ tok: ints([2, 4], 7), y: rand([2, 1]) }),
  },
  binary: {
    graph: {
      nodes: [n('x', 'Input', { shape: [3] }), n('fc', 'Linear', { out_features: 1 }), n('y1', 'Target', { kind: 'pm1-labels', shape: [] }), n('y2', 'Target', { kind: 'binary-labels', shape: [1] }), n('l1', 'LogisticLoss'), n('l2', 'HingeLoss'), n('l3', 'PerceptronLoss'), n('l4', 'HingeLoss01'), n('l5', 'BCEWithLogitsLoss'), n('l6', 'L1Loss'), n('s', 'Sign'), n('t', 'Threshold'), n('p', 'SigmoidProbability'), n('sm', 'Softmax'), n('q', 'SoftmaxProbability'), n('am', 'Argmax'), n('th', 'Tanh'), n('re', 'ReLU'), n('fc3', 'Linear', { out_features: 3 }), n('yc', 'Target'), n('ce', 'CrossEntropyLoss')],
      edges: [
        e('x', 'fc'), e('fc', 'l1'), e('y1', 'l1', 'target'), e('fc', 'l2'), e('y1', 'l2', 'target'), e('fc', 'l3'), e('y1', 'l3', 'target'), e('fc', 'l4'), e('y2', 'l4', 'target'), e('fc', 'l5'), e('y2', 'l5', 'target'), e('fc', 'l6'), e('y2', 'l6', 'target'),
        e('fc', 's'), e('fc', 't'), e('fc', 'p'), e('x', 'th'), e('th', 're'), e('re', 'fc3'), e('fc3', 'sm'), e('fc3', 'q'), e('fc3', 'am'), e('fc3', 'ce'), e('yc', 'ce', 'target'),
      ],
    },
    batch: () => ({ x: rand([5, 3]), y1: tensor([1, -1, -1, 1, 1], undefined, { dtype: 'float64' }), y2: tensor([[1], [0], [0], [1], [1]], undefined, { dtype: 'float64' }), yc: ints([5], 3) }),
  },
};

describe('every node type runs', () => {
  it('has a builder for every registered non-data node type', () => {
    const missing = nodeTypes.list().filter((d) => !DATA_TYPES.has(d.type) && !BUILDERS[d.type]).map((d) => d.type);
    expect(missing).toEqual([]);
    const used = new Set(Object.values(CASES).flatMap((c) => c.graph.nodes.map((x) => x.type)));
    expect(nodeTypes.list().filter((d) => !used.has(d.type)).map((d) => d.type)).toEqual([]);
  });

  for (const [name, { graph, batch }] of Object.entries(CASES)) {
    it(`${name}: inferred shapes are the computed ones, and stepped gradients equal one plain backward`, () => {
      const r = compileGraph(graph, { seed: 5, dtype: 'float64' });
      if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
      // Dropout is random: compare in eval mode (BatchNorm then uses its running statistics).
      const plainModel = compileGraph(graph, { seed: 5, dtype: 'float64' });
      if (!plainModel.ok) throw new Error('compile');
      plainModel.model.eval();
      const b = batch();
      const { values, loss } = plainModel.model.forward(b);
      for (const edge of graph.edges) {
        const t = values.get(edge.source)![edge.sourcePort];
        const inferred = r.analysis.edgeTypes[edge.id].shape.map((d) => (d === -1 ? t.shape[0] : d));
        expect(t.shape, edge.id).toEqual(inferred);
      }
      const edgeTensors = graph.edges.map((edge) => values.get(edge.source)![edge.sourcePort]);
      const flowing = [...new Set(edgeTensors.filter((t) => t.requiresGrad))];
      const grads = grad(loss!, flowing);
      const expected = new Map(flowing.map((t, i) => [t, grads[i]]));

      const s = new StepSession(r.model, undefined, false);
      s.loadBatch(b);
      s.runBackward();
      expect(s.loss()).toBeCloseTo(loss!.item(), 10);
      graph.edges.forEach((edge, k) => {
        const want = expected.get(edgeTensors[k]);
        const got = s.gradient(edge.id);
        if (!want) return expect(got, edge.id).toBeUndefined();
        expect(got, edge.id).toBeDefined();
        const a = Array.from(got!.data);
        const w = Array.from(want.data);
        expect(a.length).toBe(w.length);
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - w[i]), `${edge.id}[${i}]`).toBeLessThan(1e-12);
      });
    });
  }
});
