import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { EmitResult } from '../graph/emit';
import { nodeTypes } from '../graph/registry/registerAll';
import type { Graph } from '../graph/schema';
import type { GraphAnalysis } from '../graph/validate';
import { compileGraph } from './compile';
import { StepSession } from './stepSession';
import { CASES } from './testCases.test-support';
import { PYTHON, torchSkipReason } from '../torchReference.test-support';

/**
 * Cross-check against PyTorch: each test graph is turned into a torch.nn.Module from the node
 * types' own Python `emit` hooks, given the engine's weights by name, and run on the same batch
 * in float64. The loss, every edge's gradient and every parameter's gradient must match the
 * engine's step session. Needs /usr/bin/python3 with torch (skipped, with a message, without it).
 */
const hasTorch = torchSkipReason('the PyTorch cross-check of the test graphs (torchParity)') === null;

const v = (node: string, port: string): string => `v_${node}_${port}`;

/** Assembles the emitted lines of every node into a Python module `Model`. */
function toPython(graph: Graph, a: GraphAnalysis): { source: string; edgeVars: Record<string, string> } {
  const init: string[] = [];
  const forward: string[] = [];
  const helpers = new Set<string>();
  const imports = new Set<string>();
  const losses: string[] = [];
  for (const id of a.order) {
    const node = graph.nodes.find((x) => x.id === id)!;
    const def = nodeTypes.get(node.type)!;
    const inputs: Record<string, string> = {};
    for (const e of graph.edges) if (e.target === id) inputs[e.targetPort] = v(e.source, e.sourcePort);
    if (node.type === 'Input' || node.type === 'Target') {
      forward.push(`${v(id, 'out')} = data['${id}']`);
      continue;
    }
    const outputs = Object.fromEntries(def.outputs.map((p) => [p.name, v(id, p.name)]));
    const lossVar = def.family === 'Losses' ? `loss_${id}` : undefined;
    if (lossVar) losses.push(lossVar);
    const r: EmitResult = def.emit.python({
      name: id,
      params: a.params[id],
      inputs,
      outputs,
      ...(lossVar ? { lossVar } : {}),
      inputTypes: a.inputs[id],
      outputTypes: a.outputs[id],
    });
    init.push(...r.init);
    forward.push(...r.forward);
    r.helpers?.forEach((h) => helpers.add(h));
    r.imports?.forEach((i) => imports.add(i));
  }
  const edgeVars = Object.fromEntries(graph.edges.map((e) => [e.id, v(e.source, e.sourcePort)]));
  const ind = (lines: string[], n: number) => lines.map((l) => ' '.repeat(n) + l).join('\n');
  const source = [
    'import json, sys, math',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    ...imports,
    'torch.set_default_dtype(torch.float64)',
    ...helpers,
    'class Model(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    ind(init.length ? init : ['pass'], 8),
    '    def forward(self, data):',
    ind(forward, 8),
    `        return ${losses.join(' + ') || 'None'}, {${Object.entries(edgeVars)
      .map(([e, x]) => `'${e}': ${x}`)
      .join(', ')}}`,
    'req = json.load(sys.stdin)',
    'model = Model()',
    'sd = model.state_dict()',
    "model.load_state_dict({k: torch.tensor(req['state'][k], dtype=sd[k].dtype).reshape(sd[k].shape) for k in sd}, strict=True)",
    "model.train(not req['eval'])",
    "data = {k: torch.tensor(t['data'], dtype=torch.long if t['long'] else torch.float64).reshape(t['shape']) for k, t in req['batch'].items()}",
    'loss, edges = model(data)',
    'flowing = [k for k, t in edges.items() if t.requires_grad]',
    'grads = torch.autograd.grad(loss, [edges[k] for k in flowing] + list(model.parameters()), allow_unused=True)',
    'names = [n for n, _ in model.named_parameters()]',
    "out = {'loss': loss.item(), 'edges': {k: (None if g is None else g.reshape(-1).tolist()) for k, g in zip(flowing, grads)}, 'params': {n: g.reshape(-1).tolist() for n, g in zip(names, grads[len(flowing):]) if g is not None}}",
    'print(json.dumps(out))',
  ].join('\n');
  return { source, edgeVars };
}

describe('PyTorch parity of the graph runtime and the Python emit hooks', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it.skipIf(!hasTorch)(`${name}: loss, edge gradients and parameter gradients match torch`, () => {
      const r = compileGraph(c.graph, { seed: 9, dtype: 'float64' });
      if (!r.ok) throw new Error(r.issues[0].message);
      const batch = c.batch();
      const s = new StepSession(r.model, undefined, !c.evalMode);
      s.loadBatch(batch);
      s.runBackward();
      const { source } = toPython(c.graph, r.analysis);
      const indices = new Set(r.model.inputNodes.filter((x) => x.outputTypes.out.kind === 'indices').map((x) => x.id));
      const req = {
        eval: c.evalMode === true,
        // The state before this step: BatchNorm's running statistics moved during the engine's forward pass.
        state: freshState(c.graph),
        batch: Object.fromEntries(
          Object.entries(batch).map(([k, t]) => [k, { shape: t.shape, data: t.toArray(), long: indices.has(k) }]),
        ),
      };
      const py = spawnSync(PYTHON, ['-c', source], { input: JSON.stringify(req), encoding: 'utf8', timeout: 120_000 });
      if (py.status !== 0) throw new Error(`python failed:\n${py.stderr}\n${source}`);
      const torch = JSON.parse(py.stdout) as {
        loss: number;
        edges: Record<string, number[] | null>;
        params: Record<string, number[]>;
      };
      expect(s.loss()).toBeCloseTo(torch.loss, 10);
      const close = (a: ArrayLike<number>, b: readonly number[], what: string) => {
        expect(a.length, what).toBe(b.length);
        // Relative to the tensor's scale; absolute for gradients that are zero up to rounding
        // (e.g. a bias right before BatchNorm, whose gradient is 0 in exact arithmetic).
        const scale = Math.max(...b.map(Math.abs));
        for (let i = 0; i < b.length; i++)
          expect(Math.abs(a[i] - b[i]), `${what}[${i}]`).toBeLessThan(1e-12 + 1e-9 * scale);
      };
      for (const e of c.graph.edges) {
        const t = torch.edges[e.id];
        const g = s.gradient(e.id);
        if (!t) expect(g === undefined || g.data.every((x) => x === 0), e.id).toBe(true);
        else close(g!.data, t, e.id);
      }
      for (const [pname] of r.model.namedParameters())
        close(s.parameterGradient(pname)!.data, torch.params[pname], pname);
    });
  }
});

/** The parameters and buffers the model starts with (recompiled: the session's forward moved BatchNorm's statistics). */
function freshState(graph: Graph): Record<string, number[]> {
  const r = compileGraph(graph, { seed: 9, dtype: 'float64' });
  if (!r.ok) throw new Error('compile');
  return r.model.stateDict();
}
