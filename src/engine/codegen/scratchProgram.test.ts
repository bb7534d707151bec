import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { backward } from '../autograd/backward';
import { compileGraph } from '../runtime/compile';
import type { GraphModel } from '../runtime/compile';
import { resolveDataset } from '../train/datasets';
import { trainGraph } from '../train/train';
import { prepareTraining } from '../train/trainingData';
import { featureSize, targetSize } from '../train/dataset';
import { nodeTypes } from '../graph/registry/registerAll';
import { ExportError, planProgram } from './program';
import { scratchProgram } from './scratchProgram';
import type { ExportCase } from './testProjects.test-support';
import { caseBatch, exampleCases, loadDigits, randomCases, runtimeCases } from './testProjects.test-support';
import { exportedState } from './weights';
import { scratchTypeErrors } from './scratchTypeCheck.test-support';
import { e, n } from '../graph/testGraphs.test-support';
import { newProject } from '../graph/schema';
import { tensor } from '../tensor/create';
import { Rng } from '../tensor/rng';

/**
 * TypeScript from scratch, for every bundled example, every runtime test case and random layer
 * stacks: the file type-checks alone (strict, no imports), and run in float64 it gives the
 * engine's float64 loss and every parameter's gradient to 1e-9 relative; for the examples, its
 * first 20 training losses are the engine's. A graph holding a node type the language cannot
 * write is refused, naming the node.
 */
/**
 * The attention family with every path a gradient takes: each node's weights output feeds the
 * loss as well as its output; cross-attention (a key other than the query), a value of another
 * size, the multi-head layer without biases.
 */
function attentionWeightsCase(): ExportCase {
  const rng = new Rng(3);
  const rand = (shape: number[]) =>
    tensor(
      Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)),
      shape,
      { dtype: 'float64' },
    );
  const graph = {
    nodes: [
      n('x', 'Input', { shape: [3, 4] }),
      n('lin1', 'Linear', { out_features: 4 }),
      n('lin2', 'Linear', { out_features: 6 }),
      n('mha', 'MultiheadAttention', { num_heads: 2, bias: false }),
      n('sdpa', 'ScaledDotProductAttention'),
      n('add', 'AdditiveAttention', { hidden_size: 3 }),
      n('w1', 'Add'),
      n('w2', 'Add'),
      n('r1', 'Reshape', { shape: [-1] }),
      n('r2', 'Reshape', { shape: [-1] }),
      n('cat', 'Concat', { dim: 1 }),
      n('fc', 'Linear', { out_features: 1 }),
      n('y', 'Target', { kind: 'real-targets', shape: [1] }),
      n('loss', 'MSELoss'),
    ],
    edges: [
      e('x', 'lin1'),
      e('x', 'lin2'),
      e('lin1', 'mha', 'query'),
      e('x', 'mha', 'key'),
      e('lin1', 'mha', 'value'),
      e('mha', 'sdpa', 'query', 'output'),
      e('lin1', 'sdpa', 'key'),
      e('lin2', 'sdpa', 'value'),
      e('sdpa', 'add', 'query', 'output'),
      e('lin1', 'add', 'key'),
      e('lin2', 'add', 'value'),
      e('mha', 'w1', 'a', 'weights'),
      e('sdpa', 'w1', 'b', 'weights'),
      e('w1', 'w2', 'a'),
      e('add', 'w2', 'b', 'weights'),
      e('add', 'r1', 'input', 'output'),
      e('w2', 'r2'),
      e('r1', 'cat', 'a'),
      e('r2', 'cat', 'b'),
      e('cat', 'fc'),
      e('fc', 'loss'),
      e('y', 'loss', 'target'),
    ],
  };
  return {
    name: 'case attention weights',
    project: { ...newProject('attention weights'), graph },
    batch: () => ({ x: rand([2, 3, 4]), y: rand([2, 1]) }),
  };
}

const CASES: ExportCase[] = [...exampleCases(), ...runtimeCases(), attentionWeightsCase(), ...randomCases(12)];

interface Program {
  loadWeights(w: Record<string, unknown>): Record<string, Float64Array>;
  zeroGradients(): Record<string, Float64Array>;
  lossAndGradients(
    P: Record<string, Float64Array>,
    batch: Record<string, Float64Array>,
    N: number,
    training: boolean,
    rng: Record<string, unknown>,
    G?: Record<string, Float64Array>,
  ): { loss: number | null; values: Record<string, Float64Array> };
  train(
    weights: Record<string, unknown>,
    data: { x: Float64Array; y: Float64Array; features: number; targets: number; train: readonly number[] },
    epochs: number,
  ): { losses: number[] };
}

/** Which cases the language can write, and the error of those it refuses. */
function generate(c: ExportCase): { source: string } | { refused: ExportError } {
  try {
    return { source: scratchProgram(c.project).files[0].content };
  } catch (e) {
    if (e instanceof ExportError) return { refused: e };
    throw e;
  }
}

function load(source: string): Program {
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  }).outputText;
  const exports: Record<string, unknown> = {};
  new Function('exports', js)(exports);
  return exports as unknown as Program;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++)
    if (!close(got[i], want[i])) expect.fail(`${what}[${i}]: ${got[i]} ≠ ${want[i]} (engine)`);
}

/** The weights of a model as weights.json holds them. */
const weightsOf = (m: GraphModel) => JSON.parse(JSON.stringify(exportedState(m))) as Record<string, unknown>;

const generated = CASES.map((c) => ({ c, g: generate(c) }));
const written = generated.flatMap(({ c, g }) => ('source' in g ? [{ c, source: g.source }] : []));

describe('TypeScript from scratch', () => {
  it('type-checks alone (strict, no imports) for every graph it writes', () => {
    expect(written.length).toBeGreaterThan(10);
    expect(scratchTypeErrors(written.map((w) => w.source))).toEqual([]);
    for (const w of written) expect(w.source).not.toMatch(/^\s*import\b/m);
    // One compiler run over every case (~20 s idle on 2 cores): the limit guards against a hang,
    // set well above what a loaded machine needs, not a speed target.
  }, 300_000);

  it("train.ts, what the exported folder's npm start runs, type-checks against its model.ts", () => {
    const files = new Map<string, string>();
    exampleCases().forEach((c, k) => {
      for (const f of scratchProgram(c.project).files) files.set(`/scratch/example${k}/${f.path}`, f.content);
    });
    expect([...files.keys()].filter((f) => f.endsWith('/train.ts')).length).toBe(exampleCases().length);
    expect(scratchTypeErrors(files, true)).toEqual([]);
  }, 300_000);

  it('writes every graph: the cases together hold every node type of the registry, none refused', () => {
    const refused = generated.flatMap(({ c, g }) => ('refused' in g ? [`${c.name}: ${g.refused.message}`] : []));
    expect(refused).toEqual([]);
    const used = new Set(written.flatMap(({ c }) => c.project.graph.nodes.map((x) => x.type)));
    expect(
      nodeTypes
        .list()
        .map((d) => d.type)
        // A custom node needs the session's sandbox to trace its code: host/workers/customExport.test.ts runs it.
        .filter((t) => !used.has(t) && t !== 'Custom'),
    ).toEqual([]);
  });

  for (const { c, source } of written) {
    it(`${c.name}: the engine's float64 loss and every parameter gradient to 1e-9`, () => {
      const r = compileGraph(c.project.graph, { seed: 5, dtype: 'float64' });
      if (!r.ok) throw new Error(r.issues[0].message);
      const prog = load(source);
      if (c.evalMode) r.model.eval();
      const batch = caseBatch(c, r.model);
      const plan = planProgram(c.project.graph, 'scratch');
      const ours = r.model.forward(batch);
      const P = prog.loadWeights(weightsOf(r.model));
      const G = prog.zeroGradients();
      const data = Object.fromEntries(
        plan.dataNodes.map((n) => [n.outputs.out, Float64Array.from(batch[n.node.id].data)]),
      );
      const n = batch[plan.dataNodes[0].node.id].shape[0];
      const theirs = prog.lossAndGradients(P, data, n, !c.evalMode, {}, G);
      for (const node of plan.nodes)
        for (const [port, v] of Object.entries(node.outputs)) {
          if (port === 'loss' || node.def.family === 'Data') continue;
          expectClose(theirs.values[v], ours.values.get(node.node.id)![port].data, `${c.name} ${v}`);
        }
      if (!ours.loss) return expect(theirs.loss).toBeNull();
      expect(close(theirs.loss!, ours.loss.item()), `loss ${theirs.loss} vs ${ours.loss.item()}`).toBe(true);
      backward(ours.loss);
      const names = new Map(plan.names);
      for (const [name, p] of r.model.namedParameters()) {
        const dot = name.indexOf('.');
        const key = `${names.get(name.slice(0, dot))}${name.slice(dot)}`;
        expectClose(G[key], p.grad!.data, `${c.name} ∂L/∂${key}`);
      }
    });
  }

  for (const { c, source } of written.filter((w) => w.c.name.startsWith('example'))) {
    it(`${c.name}: its first 20 training losses are the engine's (float64)`, () => {
      const s = c.project.training;
      const r = compileGraph(c.project.graph, { seed: s.seed, dtype: 'float64' });
      if (!r.ok) throw new Error(r.issues[0].message);
      const weights = weightsOf(r.model);
      const data = prepareTraining(r.model, resolveDataset(s.dataset, s.seed, { digits: loadDigits }), s);
      if (typeof data === 'string') throw new Error(data);
      const want: number[] = [];
      const run = trainGraph(r.model, data, s, { epochs: 100 });
      for (let e = run.next(); !e.done && want.length < 20; e = run.next())
        if (e.value.type === 'batch') want.push(e.value.loss);
      const epochs = Math.ceil(20 / Math.ceil(data.split.train.length / s.batchSize));
      const got = load(source).train(
        weights,
        {
          x: data.dataset.x,
          y: data.dataset.y,
          features: featureSize(data.dataset),
          targets: targetSize(data.dataset),
          train: data.split.train,
        },
        epochs,
      ).losses;
      expectClose(got.slice(0, 20), want, `${c.name} losses`);
    });
  }
});
