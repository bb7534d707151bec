import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject, saveProject } from '../../engine/graph/load';
import { newProject } from '../../engine/graph/schema';
import type { Project } from '../../engine/graph/schema';
import { e, n } from '../../engine/graph/testGraphs.test-support';
import { validateGraph } from '../../engine/graph/validate';
import { registerEngine } from '../../engine/register';
import { compileGraph, compileProject } from '../../engine/runtime/compile';
import { CustomCodeError, inferCustomSignature, setCustomCodeHost } from '../../engine/runtime/customCode';
import { checkGraphGradient } from '../../engine/runtime/gradCheck';
import { StepSession } from '../../engine/runtime/stepSession';
import { tensor } from '../../engine/tensor/create';
import { createCustomSandbox, esbuildTranspile } from './customSandbox';

// A hang guard, not a measure: a loop that never ends is stopped when it runs out.
const sandbox = createCustomSandbox({ timeoutMs: 1000, transpile: esbuildTranspile });

const SWISH =
  "export default node({\n  inputs: ['x'],\n  params: {},\n  forward: ({ x }) => mul(x, sigmoid(x)),\n});\n";
const AFFINE =
  "export default node({\n  inputs: ['x'],\n  params: { w: [4, 3], b: [3] },\n  forward: ({ x }, { w, b }) => tanh(add(matmul(x, w), b)),\n});\n";

/** The error compiling (and, when it compiles, running on a 1×2 input) gives. */
function failure(code: string): CustomCodeError {
  try {
    const p = sandbox.compile(code);
    p.forward({ x: tensor([[1, 2]]) }, {});
  } catch (err) {
    expect(err).toBeInstanceOf(CustomCodeError);
    return err as CustomCodeError;
  }
  throw new Error('the code ran');
}

const body = (forward: string, before = ''): string =>
  `${before}export default node({ inputs: ['x'], forward: ({ x }) => ${forward} });`;

describe('the custom node sandbox', () => {
  beforeAll(() => registerEngine());

  it('runs the code over the ops, on the tape', () => {
    const p = sandbox.compile(SWISH);
    expect(p.inputs).toEqual(['x']);
    const y = p.forward({ x: tensor([[0, 1, -2]], undefined, { dtype: 'float64' }) }, {});
    const s = (v: number) => v / (1 + Math.exp(-v));
    expect([...y.data]).toEqual([s(0), s(1), s(-2)].map((v) => expect.closeTo(v, 12)));
  });

  it('refuses require, import(), process, fetch, eval and a constructor escape', () => {
    expect(failure(body('x', "const fs = require('fs');\n")).message).toMatch(/imports nothing/);
    expect(failure(body('x', "const fs = import('fs');\n")).message).toMatch(/imports nothing/);
    expect(failure(body('x', "import fs from 'fs';\nconsole.log(fs);\n")).message).toMatch(/imports nothing/);
    expect(failure(body('(process.exit(1), x)')).message).toMatch(/process is not defined/);
    expect(failure(body('((globalThis as any).fetch("http://example.com"), x)')).message).toMatch(/not a function/);
    expect(failure(body('(eval("1"), x)')).message).toMatch(/Code generation from strings disallowed/);
    const escape = "(x as any).constructor.constructor('return process')()";
    expect(failure(body(escape)).message).toMatch(/Code generation from strings disallowed/);
    expect(failure(body("(ops as any).add.constructor('return process')()")).message).toMatch(
      /Code generation from strings disallowed/,
    );
  });

  it('keeps the global object as it was', () => {
    expect(failure(body('x', '(globalThis as any).leak = 1;\n')).message).toMatch(/sets globalThis\.leak/);
    expect(failure(body('((globalThis as any).later = x, x)')).message).toMatch(/sets globalThis\.later/);
    expect(failure(body('x', 'Object.prototype.toString = () => "";\n')).message).toMatch(/read only|read-only/);
    expect((globalThis as Record<string, unknown>)['leak']).toBeUndefined();
  });

  it('stops a loop that never ends, in the forward pass, at the top level and in a promise', () => {
    expect(failure(body('{ for (;;) {} }')).message).toMatch(/time limit/);
    expect(failure(body('x', 'while (true) {}\n')).message).toMatch(/time limit/);
    expect(failure(body('x', 'Promise.resolve().then(() => { for (;;) {} });\n')).message).toMatch(/time limit/);
    // The sandbox still works after a stopped run.
    expect(sandbox.compile(SWISH).forward({ x: tensor([[1]]) }, {}).shape).toEqual([1, 1]);
  });

  it('names the line of a compile error and of a run error', () => {
    const syntax = failure("export default node({\n  inputs: ['x'],\n  forward: ({ x }) => x +* 2,\n});");
    expect(syntax.line).toBe(3);
    const shapes = failure("export default node({\n  inputs: ['x'],\n  forward: ({ x }) =>\n    matmul(x, x),\n});");
    expect(shapes.line).toBe(4);
    expect(shapes.message).toMatch(/matmul/);
    const thrown = failure(
      "const a = 1;\nexport default node({\n  inputs: ['x'],\n  forward: ({ x }) => {\n    throw new Error('mine');\n  },\n});",
    );
    expect([thrown.line, thrown.message]).toEqual([5, 'mine']);
    expect(failure('const a = 1;\n').message).toMatch(/must declare its node/);
    expect(failure(body('42 as any')).message).toMatch(/must return a tensor/);
  });

  it('infers shapes, parameters and the trace on a dummy batch', () => {
    const sig = inferCustomSignature(sandbox.compile(AFFINE), { x: [-1, 4] });
    expect(sig.output).toEqual([-1, 3]);
    expect(sig.params).toEqual({ w: [4, 3], b: [3] });
    expect(sig.trace.steps.map((s) => s.op)).toEqual(['matmul', 'add', 'tanh']);
    const flat = inferCustomSignature(sandbox.compile(body('reshape(x, [x.shape[0], -1])')), { x: [-1, 2, 3] });
    expect(flat.output).toEqual([-1, 6]);
    expect(flat.trace.steps[0]!.args[1]).toEqual(['N', -1]);
    expect(() => inferCustomSignature(sandbox.compile(body('matmul(x, x)')), { x: [-1, 4] })).toThrow(/matmul/);
  });
});

/** Input(2) → Linear(4) → custom → Linear(1) → BCE-with-logits ← Target: the custom node's signature as the app keeps it. */
function project(code: string): Project {
  const custom = { code, signature: inferCustomSignature(sandbox.compile(code), { x: [-1, 4] }) };
  return {
    ...newProject('custom'),
    graph: {
      nodes: [
        n('x', 'Input', { shape: [2] }),
        n('fc1', 'Linear', { out_features: 4 }),
        n('c1', 'Custom', custom),
        n('fc2', 'Linear', { out_features: 1 }),
        n('y', 'Target', { kind: 'binary-labels', shape: [1] }),
        n('loss', 'BCEWithLogitsLoss'),
      ],
      edges: [e('x', 'fc1'), e('fc1', 'c1', 'x'), e('c1', 'fc2'), e('fc2', 'loss'), e('y', 'loss', 'target')],
    },
  };
}

describe('a custom node in a graph', () => {
  beforeAll(() => {
    registerEngine();
    setCustomCodeHost(sandbox);
  });
  const batch = {
    x: tensor(
      [
        [0.2, -1.1],
        [0.9, 0.4],
        [-0.5, 0.3],
      ],
      undefined,
      { dtype: 'float64' },
    ),
    y: tensor([[1], [0], [1]], undefined, { dtype: 'float64' }),
  };

  it('has gradients from autograd that pass the finite-difference check (swish, and learned parameters)', () => {
    for (const [code, refs] of [
      [SWISH, []],
      [AFFINE, ['c1.w', 'c1.b']],
    ] as const) {
      const p = project(code);
      const model = compileProject(p, { dtype: 'float64' });
      const session = new StepSession(model, undefined);
      session.loadBatch(batch);
      session.runForward();
      session.runBackward();
      const edgeId = p.graph.edges.find((x) => x.target === 'c1')!.id;
      const edge = checkGraphGradient(p, model, batch, { type: 'edge', edgeId }, session.gradient(edgeId)!.data, 12)!;
      expect(edge.maxRelError).toBeLessThan(1e-6);
      for (const name of refs) {
        const g = session.parameterGradient(name)!.data;
        const r = checkGraphGradient(p, model, batch, { type: 'parameter', name }, g, 12)!;
        expect(r.maxRelError).toBeLessThan(1e-6);
      }
    }
  });

  it('saves and loads with the same validation as every node', () => {
    const p = project(AFFINE);
    const loaded = loadProject(saveProject(p));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.project.graph.nodes[2]).toEqual(p.graph.nodes[2]);
    expect(validateGraph(loaded.project.graph).valid).toBe(true);
    // A hand-edited signature that no longer fits is an error on the node, not a crash.
    const broken = structuredClone(p);
    (broken.graph.nodes[2]!.params as { signature: { inputs: object } }).signature.inputs = { x: [-1, 7] };
    const a = validateGraph(broken.graph);
    expect(a.issues.find((i) => i.nodeId === 'c1')?.message).toMatch(/ran with x of shape N×7/);
    // Code that no longer compiles is an error on the node when the session builds it, with its line.
    const bad = structuredClone(p);
    bad.graph.nodes[2]!.params['code'] = AFFINE.replace('params:', 'params::');
    const r = compileGraph(bad.graph);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ nodeId: 'c1', message: expect.stringMatching(/\(line 3\)/) });
    // Code that fails when it runs names the node and the line.
    const failing = structuredClone(p);
    failing.graph.nodes[2]!.params['code'] = AFFINE.replace('tanh(', 'nope(');
    const session = new StepSession(compileProject(failing, { dtype: 'float64' }), undefined);
    session.loadBatch(batch);
    expect(() => session.runForward()).toThrow(/custom node "c1": nope is not defined \(line 4\)/);
  });
});
