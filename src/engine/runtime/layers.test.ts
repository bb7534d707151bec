import { describe, expect, it } from 'vitest';
import { grad } from '../autograd/backward';
import { EMIT_LANGS } from '../graph/emit';
import { nodeTypes } from '../graph/registry/registerAll';
import { compileGraph } from './compile';
import { BUILDERS, DATA_TYPES } from './builderRegistry';
import { StepSession } from './stepSession';
import { CASES } from './testCases.test-support';

describe('every node type runs', () => {
  it('has a builder for every registered non-data node type, and an emitter for every language', () => {
    const missing = nodeTypes
      .list()
      .filter((d) => !DATA_TYPES.has(d.type) && !BUILDERS[d.type])
      .map((d) => d.type);
    expect(missing).toEqual([]);
    const unregistered = Object.keys(BUILDERS).filter((t) => !nodeTypes.has(t));
    expect(unregistered).toEqual([]);
    const noEmitter = nodeTypes
      .list()
      .flatMap((d) => EMIT_LANGS.filter((lang) => typeof d.emit[lang] !== 'function').map((l) => `${d.type}/${l}`));
    expect(noEmitter).toEqual([]);
    // A custom node's code runs only where a thread installed the sandbox (the session worker), so
    // the engine's cases cannot hold one: host/workers/customExport.test.ts steps, exports and
    // verifies a graph of three custom nodes through the real sandbox instead.
    const sandboxed = new Set(['Custom']);
    const used = new Set(Object.values(CASES).flatMap((c) => c.graph.nodes.map((x) => x.type)));
    expect(
      nodeTypes
        .list()
        .filter((d) => !used.has(d.type) && !sandboxed.has(d.type))
        .map((d) => d.type),
    ).toEqual([]);
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
