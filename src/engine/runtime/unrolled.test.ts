import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backward } from '../autograd/backward';
import type { Graph } from '../graph/schema';
import { e, n } from '../graph/testGraphs.test-support';
import { RNNBase } from '../nn/rnn';
import { tensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { compileGraph } from './compile';
import type { GraphModel } from './compile';
import { StepSession } from './stepSession';
import { unrolledView } from './unrolled';

// The unrolled view's per-step states and gradients against PyTorch (scripts/parity/unrolled.py,
// one float64 sequence per cell, stepped with torch's RNNCell / LSTMCell / GRUCell so that each
// h_t can retain its gradient) and against the engine's own BPTT run apart from the step session.

interface Dumped {
  shape: number[];
  data: number[];
}
interface Case {
  cell: 'RNN' | 'LSTM' | 'GRU';
  port: 'output' | 'hidden';
  steps: number;
  inputSize: number;
  hiddenSize: number;
  outFeatures: number;
  weights: Record<string, Dumped>;
  x: Dumped;
  target: Dumped;
  loss: number;
  h: Dumped[];
  c: Dumped[] | null;
  dh: Dumped[];
  dc: Dumped[] | null;
  gradNorms: number[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const ref = JSON.parse(readFileSync(path.join(here, '__parity__', 'unrolled.json'), 'utf8')) as { cases: Case[] };

function graphOf(c: Case): Graph {
  return {
    nodes: [
      n('x', 'Input', { shape: [c.steps, c.inputSize], kind: 'sequence' }),
      n('rnn', c.cell, { hidden_size: c.hiddenSize }),
      n('fc', 'Linear', { out_features: c.outFeatures }),
      n('y', 'Target', {
        kind: 'real-targets',
        shape: c.port === 'output' ? [c.steps, c.outFeatures] : [c.outFeatures],
      }),
      n('loss', 'MSELoss'),
    ],
    edges: [e('x', 'rnn'), e('rnn', 'fc', 'input', c.port), e('fc', 'loss'), e('y', 'loss', 'target')],
  };
}

function compile(c: Case): GraphModel {
  const r = compileGraph(graphOf(c), { dtype: 'float64', weights: c.weights });
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.model;
}

const batchOf = (c: Case): Record<string, Tensor> => ({
  x: tensor(c.x.data, c.x.shape, { dtype: 'float64' }),
  y: tensor(c.target.data, c.target.shape, { dtype: 'float64' }),
});

/** |a − b| within 1e-8 relative to the tensor's scale (the reference is rounded to 9 digits). */
function expectClose(actual: readonly (number | null)[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  const scale = Math.max(1e-12, ...expected.map(Math.abs));
  actual.forEach((v, i) => expect(Math.abs((v as number) - expected[i]) / scale).toBeLessThan(1e-8));
}

describe('the unrolled view (backpropagation through time)', () => {
  for (const c of ref.cases) {
    it(`${c.cell}: every h_t${c.cell === 'LSTM' ? ', c_t' : ''} and ∂L/∂h_t is PyTorch's`, () => {
      const s = new StepSession(compile(c));
      s.loadBatch(batchOf(c));
      const before = unrolledView(s, 'rnn');
      expect(before.ran).toBe(false);
      expect(before.states).toEqual([]);
      s.runForward();
      expect(s.loss()).toBeCloseTo(c.loss, 8);
      const fwd = unrolledView(s, 'rnn');
      expect(fwd).toMatchObject({ cell: c.cell, steps: c.steps, ran: true, backward: false, gradNorms: null });
      fwd.states.forEach((st, t) => {
        expectClose(st.h.preview.values, c.h[t].data);
        if (c.c) expectClose(st.c!.preview.values, c.c[t].data);
        expect(st.dh).toBeNull();
      });
      // Backward through the loss and the head only: the gradients inside the RNN are not final yet.
      let r = s.backwardStep();
      while (r && r.nodeId !== 'fc') r = s.backwardStep();
      expect(unrolledView(s, 'rnn').backward).toBe(false);
      expect(s.backwardStep()?.nodeId).toBe('rnn');
      const bwd = unrolledView(s, 'rnn');
      expect(bwd.backward).toBe(true);
      bwd.states.forEach((st, t) => {
        expectClose(st.dh!.preview.values, c.dh[t].data);
        if (c.dc) expectClose(st.dc!.preview.values, c.dc[t].data);
      });
      expectClose(bwd.gradNorms!, c.gradNorms);
      if (c.dc)
        expectClose(
          bwd.cellGradNorms!,
          c.dc.map((d) => Math.hypot(...d.data)),
        );
    });
  }

  for (const c of ref.cases) {
    it(`${c.cell}: stepping back in time makes ∂L/∂h_t final from the last step to the first, each PyTorch's`, () => {
      const s = new StepSession(compile(c));
      s.loadBatch(batchOf(c));
      s.runForward();
      // Before the pass reaches the RNN, a time step is a node step (the loss, then the head).
      expect(s.backwardTimeStep('rnn')).toMatchObject({ report: { nodeId: 'loss' }, state: null });
      expect(s.backwardTimeStep('rnn')).toMatchObject({ report: { nodeId: 'fc' }, state: null });
      expect(unrolledView(s, 'rnn').gradNorms).toBeNull();
      for (let t = c.steps - 1; t >= 0; t--) {
        expect(s.backwardTimeStep('rnn')).toEqual({ report: null, state: { layer: 0, direction: 0, t } });
        const v = unrolledView(s, 'rnn');
        expect(v.backward).toBe(false);
        expect(s.phase).toBe('backward');
        expect(s.currentNode).toBe('rnn');
        v.states.forEach((st, k) => {
          if (k < t) {
            expect(st.dh).toBeNull();
            expect(v.gradNorms![k]).toBeNull();
          } else {
            expectClose(st.dh!.preview.values, c.dh[k].data);
            expect(v.gradNorms![k]).toBeCloseTo(c.gradNorms[k], 8);
          }
        });
        expect(v.note).toContain(`${t} to go`);
      }
      // The records left (the input projection of all steps at once) finish the node's step.
      const done = s.backwardTimeStep('rnn');
      expect(done.state).toBeNull();
      expect(done.report).toMatchObject({ nodeId: 'rnn', direction: 'backward' });
      expect(unrolledView(s, 'rnn').backward).toBe(true);
      // Past the node, it is a node step again (the Input has no records: the pass is complete).
      expect(s.backwardTimeStep('rnn').report).toBeNull();
      expect(s.phase).toBe('backwarded');
      expect(s.parameterGradient('rnn.weight_hh_l0')).toBeDefined();
    });
  }

  it('stepping back in time through a bidirectional, two-layer GRU visits every state once, latest record first', () => {
    const graph: Graph = {
      nodes: [
        n('x', 'Input', { shape: [4, 2], kind: 'sequence' }),
        n('rnn', 'GRU', { hidden_size: 3, num_layers: 2, bidirectional: true }),
        n('fc', 'Linear', { out_features: 1 }),
        n('y', 'Target', { kind: 'real-targets', shape: [4, 1] }),
        n('loss', 'MSELoss'),
      ],
      edges: [e('x', 'rnn'), e('rnn', 'fc', 'input', 'output'), e('fc', 'loss'), e('y', 'loss', 'target')],
    };
    const r = compileGraph(graph, { dtype: 'float64', seed: 5 });
    if (!r.ok) throw new Error('compile');
    const batch = {
      x: tensor(
        Array.from({ length: 8 }, (_, i) => Math.cos(i)),
        [1, 4, 2],
        { dtype: 'float64' },
      ),
      y: tensor([0.1, -0.2, 0.3, 0.4], [1, 4, 1], { dtype: 'float64' }),
    };
    const s = new StepSession(r.model);
    s.loadBatch(batch);
    s.runForward();
    const visited: string[] = [];
    for (let k = 0; k < 40 && s.phase !== 'backwarded'; k++) {
      const { state } = s.backwardTimeStep('rnn');
      if (state) visited.push(`${state.layer}${state.direction}${state.t}`);
    }
    // Layer 1 before layer 0; in each, the reverse direction (run last) first, from t = 0 up, then the forward one from t = 3 down.
    expect(visited).toEqual([
      ...['110', '111', '112', '113', '103', '102', '101', '100'],
      ...['010', '011', '012', '013', '003', '002', '001', '000'],
    ]);
    // The same gradients as the node stepped whole.
    const whole = new StepSession(r.model);
    whole.loadBatch(batch);
    whole.runBackward();
    for (const [layer, direction] of [
      [0, 0],
      [1, 1],
    ])
      expect(unrolledView(s, 'rnn', layer, direction).gradNorms).toEqual(
        unrolledView(whole, 'rnn', layer, direction).gradNorms,
      );
  });

  it('its gradients are the engine’s BPTT run apart from the step session, to the last bit', () => {
    const c = ref.cases.find((x) => x.cell === 'LSTM')!;
    const s = new StepSession(compile(c));
    s.loadBatch(batchOf(c));
    s.runBackward();
    const view = unrolledView(s, 'rnn');
    // A second model with the same weights: forward, every recorded state retained, backward().
    const model = compile(c);
    const batch = batchOf(c);
    const values = new Map<string, Record<string, Tensor>>();
    for (const node of model.nodes) {
      values.set(node.id, model.evaluate(node, values, batch));
      const m = node.runtime?.module;
      if (m instanceof RNNBase)
        for (const st of m.lastStates) [...st.h, ...(st.c ?? [])].forEach((t) => t.retainGrad());
    }
    backward(values.get('loss')!.loss);
    const states = (model.node('rnn')!.runtime!.module as RNNBase).lastStates[0];
    states.h.forEach((h, t) => expect(view.states[t].dh!.preview.values).toEqual(Array.from(h.grad!.data)));
    states.c!.forEach((cc, t) => expect(view.states[t].dc!.preview.values).toEqual(Array.from(cc.grad!.data)));
  });

  it('the RNN’s gradient shrinks toward the first step (vanishing over time)', () => {
    const c = ref.cases.find((x) => x.cell === 'RNN')!;
    const s = new StepSession(compile(c));
    s.loadBatch(batchOf(c));
    s.runBackward();
    const norms = unrolledView(s, 'rnn').gradNorms! as number[];
    for (let t = 1; t < norms.length; t++) expect(norms[t - 1]).toBeLessThan(norms[t]);
    expect(norms[0] / norms[norms.length - 1]).toBeLessThan(0.01);
  });

  it('says why for a node that does not unroll, a missing layer or direction', () => {
    const c = ref.cases[0];
    const s = new StepSession(compile(c));
    expect(() => unrolledView(s, 'fc')).toThrow(/only RNN, LSTM and GRU nodes unroll/);
    expect(() => unrolledView(s, 'rnn', 1)).toThrow(/has 1 layer; there is no layer 1/);
    expect(() => unrolledView(s, 'rnn', 0, 1)).toThrow(/not bidirectional/);
    expect(() => unrolledView(s, 'nope')).toThrow(/no node "nope"/);
  });

  it('a two-layer bidirectional GRU unrolls each layer and direction', () => {
    const graph: Graph = {
      nodes: [
        n('x', 'Input', { shape: [5, 2], kind: 'sequence' }),
        n('rnn', 'GRU', { hidden_size: 3, num_layers: 2, bidirectional: true }),
        n('fc', 'Linear', { out_features: 1 }),
        n('y', 'Target', { kind: 'real-targets', shape: [1] }),
        n('loss', 'MSELoss'),
      ],
      edges: [e('x', 'rnn'), e('rnn', 'fc', 'input', 'hidden'), e('fc', 'loss'), e('y', 'loss', 'target')],
    };
    const r = compileGraph(graph, { dtype: 'float64', seed: 4 });
    if (!r.ok) throw new Error('compile');
    const s = new StepSession(r.model);
    s.loadBatch({
      x: tensor(
        Array.from({ length: 20 }, (_, i) => Math.sin(i)),
        [2, 5, 2],
        { dtype: 'float64' },
      ),
      y: tensor([0.5, -0.5], [2, 1], { dtype: 'float64' }),
    });
    s.runBackward();
    for (const [layer, direction] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]) {
      const v = unrolledView(s, 'rnn', layer, direction);
      expect(v).toMatchObject({ layer, direction, layers: 2, directions: 2, steps: 5, backward: true });
      expect(v.states[0].h.shape).toEqual([2, 3]);
      expect(v.gradNorms!.every((g) => g !== null && Number.isFinite(g) && g > 0)).toBe(true);
    }
    expect(unrolledView(s, 'rnn').layer).toBe(1);
  });
});
