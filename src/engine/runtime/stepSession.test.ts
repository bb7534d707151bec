import { describe, expect, it } from 'vitest';
import { backward, grad } from '../autograd/backward';
import { tensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import type { Graph } from '../graph/schema';
import { e, n, xorGraph } from '../graph/testGraphs.test-support';
import { BUILDERS } from './builderRegistry';
import { compileGraph, dumpWeights } from './compile';
import type { GraphModel } from './compile';
import { summarizeTensor } from './tensorSummary';
import { StepSession } from './stepSession';

function compile(graph: Graph, seed = 3): GraphModel {
  const r = compileGraph(graph, { seed, dtype: 'float64' });
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.model;
}

/** A graph where one tensor feeds two consumers (fc1's output goes to a ReLU and a Tanh that are added). */
function branchyGraph(): Graph {
  return {
    nodes: [
      n('x', 'Input', { shape: [3] }),
      n('fc1', 'Linear', { out_features: 5 }),
      n('r', 'ReLU'),
      n('t', 'Tanh'),
      n('sum', 'Add'),
      n('fc2', 'Linear', { out_features: 4 }),
      n('y', 'Target', { kind: 'class-labels', shape: [] }),
      n('loss', 'CrossEntropyLoss'),
      n('pred', 'Argmax'),
    ],
    edges: [
      e('x', 'fc1'),
      e('fc1', 'r'),
      e('fc1', 't'),
      e('r', 'sum', 'a'),
      e('t', 'sum', 'b'),
      e('sum', 'fc2'),
      e('fc2', 'loss'),
      e('y', 'loss', 'target'),
      e('fc2', 'pred'),
    ],
  };
}

const BATCHES: Record<string, () => Record<string, Tensor>> = {
  xor: () => ({
    x: tensor(
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      undefined,
      { dtype: 'float64' },
    ),
    y: tensor([[0], [1], [1], [0]], undefined, { dtype: 'float64' }),
  }),
  branchy: () => ({
    x: tensor(
      [
        [0.5, -1, 2],
        [1, 0.3, -0.7],
      ],
      undefined,
      { dtype: 'float64' },
    ),
    y: tensor([3, 1], undefined, { dtype: 'float64' }),
  }),
};

describe('compileGraph', () => {
  it('names parameters <nodeId>.<torchName> with PyTorch layouts', () => {
    const m = compile(xorGraph());
    expect(m.namedParameters().map(([k, t]) => [k, t.shape])).toEqual([
      ['fc1.weight', [8, 2]],
      ['fc1.bias', [8]],
      ['fc2.weight', [1, 8]],
      ['fc2.bias', [1]],
    ]);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const a = compile(xorGraph(), 1).stateDict();
    expect(compile(xorGraph(), 1).stateDict()).toEqual(a);
    expect(compile(xorGraph(), 2).stateDict()['fc1.weight']).not.toEqual(a['fc1.weight']);
  });

  it('reports node types the engine cannot run, and node ids that would make parameter names ambiguous', () => {
    const { Tanh: _tanh, ...withoutTanh } = BUILDERS;
    const r = compileGraph(xorGraph(), { builders: withoutTanh });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues).toEqual([
      {
        severity: 'error',
        code: 'not-executable',
        nodeId: 'act1',
        message:
          'Tanh "act1" cannot run yet: this version of the engine has no Tanh layer. It can be edited and exported, but not stepped or trained.',
      },
    ]);
    const g = xorGraph();
    g.nodes[1].id = 'fc.1';
    g.edges = g.edges.map((x) => ({
      ...x,
      source: x.source === 'fc1' ? 'fc.1' : x.source,
      target: x.target === 'fc1' ? 'fc.1' : x.target,
    }));
    const d = compileGraph(g);
    expect(!d.ok && d.issues[0]).toMatchObject({
      code: 'not-executable',
      nodeId: 'fc.1',
      message: expect.stringContaining('cannot contain a dot'),
    });
  });

  it('loads initial weights by name and refuses mismatched ones', () => {
    const ref = compile(xorGraph(), 4);
    const weights = dumpWeights(ref);
    const r = compileGraph(xorGraph(), { seed: 99, dtype: 'float64', weights });
    expect(r.ok && r.model.stateDict()).toEqual(ref.stateDict());
    const bad = compileGraph(xorGraph(), { weights: { ...weights, 'fc2.bias': { shape: [2], data: [0, 0] } } });
    expect(!bad.ok && bad.issues[0].message).toBe(
      'The weights "fc2.bias" have shape 2, but the model\'s parameter has shape 1.',
    );
    const extra = compileGraph(xorGraph(), { weights: { ...weights, 'fc3.weight': { shape: [1], data: [0] } } });
    expect(!extra.ok && extra.issues[0].message).toContain('"fc3.weight", which is not a parameter of this model');
  });

  it('refuses an invalid graph with the validator’s issues', () => {
    const g = xorGraph();
    g.edges.pop();
    const r = compileGraph(g);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0].code).toBe('missing-input');
  });
});

describe('StepSession', () => {
  for (const [name, graph] of [
    ['xor', xorGraph()],
    ['branchy', branchyGraph()],
  ] as const) {
    it(`${name}: per-edge and per-parameter gradients equal those of one plain backward()`, () => {
      // Plain: forward the whole model, then one backward() for the parameters and, on the same
      // tape, torch.autograd.grad-style gradients for every edge tensor.
      const plain = compile(graph);
      const { values, loss } = plain.forward(BATCHES[name]());
      const edgeTensors = graph.edges.map((edge) => values.get(edge.source)![edge.sourcePort]);
      const flowing = edgeTensors.filter((t) => t.requiresGrad);
      const edgeGrads = new Map(flowing.map((t, i) => [t, grad(loss!, flowing)[i]]));
      backward(loss!);

      const model = compile(graph);
      const s = new StepSession(model);
      s.loadBatch(BATCHES[name]());
      const fwd = s.runForward();
      expect(fwd.map((r) => r.nodeId)).toEqual(model.nodes.map((x) => x.id));
      expect(s.loss()).toBeCloseTo(loss!.item(), 12);
      const reports = [];
      for (let r = s.backwardStep(); r; r = s.backwardStep()) reports.push(r);
      // Backward visits the nodes on the loss's tape in reverse order: not the data nodes or the prediction.
      expect(reports.map((r) => r.nodeId)).toEqual(
        model.nodes
          .filter((x) => !['x', 'y', 'pred'].includes(x.id))
          .map((x) => x.id)
          .reverse(),
      );
      expect(s.phase).toBe('backwarded');

      for (const [k, edge] of graph.edges.entries()) {
        const expected = edgeGrads.get(edgeTensors[k]);
        const got = s.gradient(edge.id);
        if (!expected) {
          expect(got, edge.id).toBeUndefined();
          continue;
        }
        expect(got, edge.id).toBeDefined();
        expect(got!.shape).toEqual(expected.shape);
        expect(Array.from(got!.data)).toEqual(Array.from(expected.data));
      }
      for (const [pname, p] of plain.namedParameters())
        expect(Array.from(s.parameterGradient(pname)!.data), pname).toEqual(Array.from(p.grad!.data));
      // Every edge into a node on the plan is reported exactly once.
      const reported = reports.flatMap((r) => r.edges);
      expect(new Set(reported).size).toBe(reported.length);
    });
  }

  it('steps one node at a time and reports what each step produced', () => {
    const model = compile(xorGraph());
    const s = new StepSession(model, { step: () => undefined, zeroGrad: () => model.zeroGrad() });
    expect(s.phase).toBe('empty');
    s.loadBatch(BATCHES.xor());
    expect(s.phase).toBe('ready');
    const r0 = s.forwardStep()!;
    expect(r0).toMatchObject({
      direction: 'forward',
      nodeId: 'x',
      index: 0,
      total: 6,
      edges: ['x.out->fc1.input'],
      outputs: { out: [4, 2] },
    });
    expect(s.activation('x.out->fc1.input')!.shape).toEqual([4, 2]);
    expect(s.activation('fc1.out->act1.input')).toBeUndefined();
    const r1 = s.forwardStep()!;
    expect(r1.edges).toEqual(['fc1.out->act1.input']);
    expect(summarizeTensor(s.activation('fc1.out->act1.input')!)).toMatchObject({ shape: [4, 8], nanCount: 0 });
    s.runForward();
    expect(s.phase).toBe('forwarded');
    expect(s.forwardStep()).toBeNull();
    const b0 = s.backwardStep()!;
    expect(b0).toMatchObject({
      direction: 'backward',
      nodeId: 'loss',
      index: 0,
      total: 4,
      edges: ['fc2.out->loss.input', 'y.out->loss.target'],
    });
    expect(s.gradient('fc2.out->loss.input')!.shape).toEqual([4, 1]);
    expect(s.gradient('act1.out->fc2.input')).toBeUndefined();
    const b1 = s.backwardStep()!;
    expect(b1).toMatchObject({ nodeId: 'fc2', edges: ['act1.out->fc2.input'], parameters: ['fc2.weight', 'fc2.bias'] });
    expect(() => s.applyUpdate()).toThrow(/Complete the backward pass/);
    s.runBackward();
    expect(s.backwardStep()).toBeNull();
    s.applyUpdate();
    expect(s.phase).toBe('updated');
    // A new forward step starts a fresh pass on the same batch.
    expect(s.forwardStep()!.nodeId).toBe('x');
    expect(s.parameterGradient('fc1.weight')!.data.every((v) => v === 0)).toBe(true);
    expect(summarizeTensor(s.parameterGradient('fc1.weight')!)).toMatchObject({ shape: [8, 2], min: 0, max: 0, l2: 0 });
    expect(s.parameter('fc2.bias')!.shape).toEqual([1]);
  });

  it('reset keeps the batch and the weights and clears every value', () => {
    const model = compile(xorGraph());
    const s = new StepSession(model);
    s.loadBatch(BATCHES.xor());
    s.runBackward();
    const w = Array.from(s.parameter('fc1.weight')!.data);
    s.reset();
    expect(s.phase).toBe('ready');
    expect(s.activation('x.out->fc1.input')).toBeUndefined();
    expect(s.gradient('fc2.out->loss.input')).toBeUndefined();
    expect(Array.from(s.parameter('fc1.weight')!.data)).toEqual(w);
    s.runForward();
    expect(s.loss()).toBeGreaterThan(0);
  });
});
