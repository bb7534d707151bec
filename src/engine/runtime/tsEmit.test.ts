import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as autogradBackward from '../autograd/backward';
import * as autogradGradMode from '../autograd/gradMode';
import type { EmitResult } from '../graph/emit';
import * as nnAttention from '../nn/attention';
import * as nnBatchnorm from '../nn/batchnorm';
import * as nnConv from '../nn/conv';
import * as nnDropout from '../nn/dropout';
import * as nnEmbedding from '../nn/embedding';
import * as nnLinear from '../nn/linear';
import * as nnLosses from '../nn/losses';
import * as nnModule from '../nn/module';
import * as nnMultihead from '../nn/multiheadAttention';
import * as nnP4 from '../nn/p4';
import * as nnPooling from '../nn/pooling';
import * as nnPredict from '../nn/predict';
import * as nnRnn from '../nn/rnn';
import * as nnScalar from '../nn/scalar';
import * as opsActivation from '../ops/activation';
import * as opsArithmetic from '../ops/arithmetic';
import * as opsReduce from '../ops/reduce';
import * as opsSelect from '../ops/select';
import * as opsShape from '../ops/shape';
import * as tensorCreate from '../tensor/create';
import * as tensorScope from '../tensor/scope';
import { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';
import { nodeTypes } from '../graph/registry/registerAll';
import type { Graph } from '../graph/schema';
import type { GraphAnalysis } from '../graph/validate';
import { compileGraph } from './compile';
import * as layerHelpers from './layerHelpers';
import { CASES } from './testCases.test-support';

/**
 * The TypeScript emit hooks, assembled into a model class the way code generation will, must
 * compute exactly what the runtime computes: same initial weights (drawn in the same order),
 * same activation on every edge, same loss, same parameter gradients — bit for bit.
 */
const MODULES: Record<string, Record<string, unknown>> = {
  'autograd/backward': autogradBackward,
  'autograd/gradMode': autogradGradMode,
  'nn/attention': nnAttention,
  'nn/batchnorm': nnBatchnorm,
  'nn/conv': nnConv,
  'nn/dropout': nnDropout,
  'nn/embedding': nnEmbedding,
  'nn/linear': nnLinear,
  'nn/losses': nnLosses,
  'nn/module': nnModule,
  'nn/multiheadAttention': nnMultihead,
  'nn/p4': nnP4,
  'nn/pooling': nnPooling,
  'nn/predict': nnPredict,
  'nn/rnn': nnRnn,
  'nn/scalar': nnScalar,
  'ops/activation': opsActivation,
  'ops/arithmetic': opsArithmetic,
  'ops/reduce': opsReduce,
  'ops/select': opsSelect,
  'ops/shape': opsShape,
  'tensor/create': tensorCreate,
  'tensor/scope': tensorScope,
  'runtime/layerHelpers': layerHelpers,
};

const v = (node: string, port: string): string => `v_${node}_${port}`;

interface GeneratedModel extends nnModule.Module {
  forward(data: Record<string, Tensor>): { loss: Tensor | null; edges: Record<string, Tensor> };
}

/** Assembles the nodes' TypeScript into a Module subclass and evaluates it against the real engine. */
function generate(
  graph: Graph,
  a: GraphAnalysis,
): { source: string; Model: new (rng: Rng, dtype: string) => GeneratedModel } {
  const fields: string[] = [];
  const init: string[] = [];
  const forward: string[] = [];
  const imports = new Map<string, Set<string>>([
    ['nn/module', new Set(['Module'])],
    ['ops/arithmetic', new Set(['add'])],
  ]);
  const losses: string[] = [];
  for (const id of a.order) {
    const node = graph.nodes.find((x) => x.id === id)!;
    const def = nodeTypes.get(node.type)!;
    const inputs: Record<string, string> = {};
    for (const e of graph.edges) if (e.target === id) inputs[e.targetPort] = v(e.source, e.sourcePort);
    if (node.type === 'Input' || node.type === 'Target')
      forward.push(`const ${v(id, 'out')} = data[${JSON.stringify(id)}];`);
    const outputs = Object.fromEntries(def.outputs.map((p) => [p.name, v(id, p.name)]));
    const lossVar = def.family === 'Losses' ? `loss_${id}` : undefined;
    if (lossVar) losses.push(lossVar);
    const r: EmitResult = def.emit.ts({
      name: id,
      params: a.params[id],
      inputs,
      outputs,
      ...(lossVar ? { lossVar } : {}),
      inputTypes: a.inputs[id] ?? {},
      outputTypes: a.outputs[id] ?? {},
    });
    for (const f of r.fields ?? []) fields.push(`declare ${f.name}: ${f.type};`);
    init.push(...r.init);
    forward.push(...r.forward);
    for (const i of r.engineImports ?? []) {
      const set = imports.get(i.module) ?? new Set<string>();
      i.names.forEach((x) => set.add(x));
      imports.set(i.module, set);
    }
  }
  const loss = losses.length === 0 ? 'null' : losses.slice(1).reduce((acc, l) => `add(${acc}, ${l})`, losses[0]);
  const edges = graph.edges.map((e) => `${JSON.stringify(e.id)}: ${v(e.source, e.sourcePort)}`).join(', ');
  const source = [
    'function build() {',
    'class Model extends Module {',
    ...fields,
    'constructor(rng: Rng, dtype: DType) {',
    'super();',
    ...init,
    '}',
    'forward(data: Record<string, Tensor>) {',
    ...forward,
    `return { loss: ${loss}, edges: { ${edges} } };`,
    '}',
    '}',
    'return Model;',
    '}',
  ].join('\n');
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, useDefineForClassFields: true },
  }).outputText;
  const names: string[] = [];
  const values: unknown[] = [];
  for (const [module, set] of imports) {
    const m = MODULES[module];
    if (!m) throw new Error(`the emitted code imports the engine module "${module}", which this test does not know`);
    for (const name of set) {
      if (!(name in m)) throw new Error(`"${module}" has no export "${name}"`);
      names.push(name);
      values.push(m[name]);
    }
  }
  const Model = new Function(...names, `${js}\nreturn build();`)(...values) as new (
    rng: Rng,
    dtype: string,
  ) => GeneratedModel;
  return { source, Model };
}

describe('TypeScript emit hooks', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: generated code matches the runtime bit for bit (weights, every edge, loss, gradients)`, () => {
      const r = compileGraph(c.graph, { seed: 9, dtype: 'float64' });
      if (!r.ok) throw new Error(r.issues[0].message);
      const { Model, source } = generate(c.graph, r.analysis);
      const gen = new Model(new Rng(9), 'float64');
      expect(gen.stateDict(), source).toEqual(r.model.stateDict());
      if (c.evalMode) {
        gen.eval();
        r.model.eval();
      }
      const batch = c.batch();
      const ours = r.model.forward(batch);
      const theirs = gen.forward(batch);
      for (const e of c.graph.edges) {
        const t = ours.values.get(e.source)![e.sourcePort];
        expect(theirs.edges[e.id].shape, e.id).toEqual(t.shape);
        expect(Array.from(theirs.edges[e.id].data), e.id).toEqual(Array.from(t.data));
      }
      expect(theirs.loss!.item()).toBe(ours.loss!.item());
      autogradBackward.backward(ours.loss!);
      autogradBackward.backward(theirs.loss!);
      const mine = new Map(r.model.namedParameters());
      for (const [pname, p] of gen.namedParameters())
        expect(Array.from(p.grad!.data), pname).toEqual(Array.from(mine.get(pname)!.grad!.data));
    });
  }
});
