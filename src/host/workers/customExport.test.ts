import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backward } from '../../engine/autograd/backward';
import { generateCode } from '../../engine/codegen/generate';
import { exportedState, generatedNamer } from '../../engine/codegen/weights';
import { CUSTOM_OP_NAMES } from '../../engine/graph/customApi';
import type { CustomSignature } from '../../engine/graph/customApi';
import { newProject } from '../../engine/graph/schema';
import type { Project } from '../../engine/graph/schema';
import { e, n } from '../../engine/graph/testGraphs.test-support';
import { scratchTypeErrors } from '../../engine/codegen/scratchTypeCheck.test-support';
import { registerEngine } from '../../engine/register';
import { compileProject } from '../../engine/runtime/compile';
import { inferCustomSignature, setCustomCodeHost } from '../../engine/runtime/customCode';
import { tensor } from '../../engine/tensor/create';
import { PYTHON, torchSkipReason } from '../../engine/torchReference.test-support';
import { createCustomSandbox, esbuildTranspile } from './customSandbox';
import { batchFor, loadProjectData } from './projectData';
import { StepRuntime } from './stepRuntime';
import { verifyCode } from './verifyCode';

/**
 * Every code flavour exports a custom node as its own code, and the exported programs are run:
 * the TypeScript (engine) one by Verify against the session, the PyTorch one by PyTorch against
 * the engine; the from-scratch one by Verify in float64.
 */
const sandbox = createCustomSandbox({ timeoutMs: 5000, transpile: esbuildTranspile });

const AFFINE =
  "export default node({ inputs: ['x'], params: { w: [4, 3], b: [3] }, forward: ({ x }, { w, b }) => tanh(add(matmul(x, w), b)) });";
const SWISH = "export default node({ inputs: ['x'], forward: ({ x }) => mul(x, sigmoid(x)) });";
// Softmax, a kept-dimension sum, a reshape by the batch size, division by a number, a transpose.
const MIXED = [
  "export default node({ inputs: ['x'], params: { v: [3, 3] },",
  '  forward: ({ x }, { v }) => {',
  '    const s = mul(softmax(x, 1), sum(x, 1, true));',
  '    const r = reshape(s, [x.shape[0], 3]);',
  '    return add(div(r, 2), matmul(r, transpose(v)));',
  '  },',
  '});',
].join('\n');

// Every other op: softplus, log, sqrt, abs, neg, relu, exp, pow, logSoftmax, a number minus a
// tensor, a sum over two dimensions and a mean over every element.
const REST = [
  "export default node({ inputs: ['x'],",
  '  forward: ({ x }) => {',
  '    const p = add(softplus(x), 0.5);',
  '    const a = sub(log(p), sqrt(p));',
  '    const b = mul(abs(neg(x)), relu(x));',
  '    const c = pow(exp(mul(x, 0.3)), 3);',
  '    const l = logSoftmax(add(a, c), 1);',
  '    const r = reshape(sub(1, b), [x.shape[0], 2, 2]);',
  '    const s = reshape(sum(r, [1, 2], true), [x.shape[0], 1]);',
  '    return add(add(l, div(s, 4)), mean(b));',
  '  },',
  '});',
].join('\n');

const custom = (code: string, width: number) => ({
  code,
  signature: inferCustomSignature(sandbox.compile(code), { x: [-1, width] }),
  error: null,
});

/** XOR: Input(2) → Linear(4) → affine custom (4→3) → swish → mixed → Linear(1) → BCE ← Target. */
function project(): Project {
  return {
    ...newProject('custom export'),
    graph: {
      nodes: [
        n('x', 'Input', { shape: [2] }),
        n('fc1', 'Linear', { out_features: 4 }),
        n('c1', 'Custom', custom(AFFINE, 4)),
        n('c2', 'Custom', custom(SWISH, 3)),
        n('c3', 'Custom', custom(MIXED, 3)),
        n('fc2', 'Linear', { out_features: 1 }),
        n('y', 'Target', { kind: 'binary-labels', shape: [1] }),
        n('loss', 'BCEWithLogitsLoss'),
      ],
      edges: [
        e('x', 'fc1'),
        e('fc1', 'c1', 'x'),
        e('c1', 'c2', 'x'),
        e('c2', 'c3', 'x'),
        e('c3', 'fc2'),
        e('fc2', 'loss'),
        e('y', 'loss', 'target'),
      ],
    },
  };
}

/** XOR: Input(2) → Linear(4) → a custom node calling every other op (4→4) → Linear(1) → BCE ← Target. */
function restProject(): Project {
  return {
    ...project(),
    graph: {
      nodes: [
        n('x', 'Input', { shape: [2] }),
        n('fc1', 'Linear', { out_features: 4 }),
        n('c4', 'Custom', custom(REST, 4)),
        n('fc2', 'Linear', { out_features: 1 }),
        n('y', 'Target', { kind: 'binary-labels', shape: [1] }),
        n('loss', 'BCEWithLogitsLoss'),
      ],
      edges: [e('x', 'fc1'), e('fc1', 'c4', 'x'), e('c4', 'fc2'), e('fc2', 'loss'), e('y', 'loss', 'target')],
    },
  };
}

/** The project's session on the first 4 training samples, and Verify's run of the exported program on them. */
async function verified(p: Project, dtype: 'float32' | 'float64', flavour: 'ts' | 'ts-scratch') {
  const rt = new StepRuntime(p, null, dtype);
  const data = loadProjectData(p);
  rt.loadTensors(batchFor(rt.model, data.dataset, data.split.train.slice(0, 4)));
  return { rt, r: await verifyCode(rt, flavour) };
}

beforeAll(() => {
  registerEngine();
  setCustomCodeHost(sandbox);
});

describe('exporting custom nodes', () => {
  it('TypeScript (engine): the program, run by Verify, gives the session loss and gradients bit for bit', async () => {
    const p = project();
    const { rt, r } = await verified(p, 'float32', 'ts');
    expect(r).toMatchObject({ same: true, bitForBit: true, maxError: 0 });
    expect(r.gradients).toBe(rt.model.namedParameters().length);
    const source = generateCode(p, 'ts')
      .files.map((f) => f.content)
      .join('\n');
    expect(source).toContain('new CustomParameters({"w":[4,3],"b":[3]}, rng, { dtype })');
    expect(source).toContain('const c3_2 = sum(c2, 1, true);');
    // The batch size the code read from x.shape[0] is the program's own batch, not the dummy's.
    expect(source).toContain('const c3_4 = reshape(c3_3, [c2.shape[0], 3]);');
  });

  it('TypeScript from scratch: the program, run by Verify in float64, gives the session loss and gradients (1e-9)', async () => {
    const p = project();
    const { rt, r } = await verified(p, 'float64', 'ts-scratch');
    expect(r).toMatchObject({ same: true });
    expect(r.maxError).toBeLessThan(1e-9);
    expect(r.gradients).toBe(rt.model.namedParameters().length);
    const source = generateCode(p, 'ts-scratch')
      .files.map((f) => f.content)
      .join('\n');
    // The traced ops with the kernels other node types use for the same math, backward in reverse.
    expect(source).toContain('bmmInto(fc1, P["c1.w"], 1, N, 4, 3, false, false, 1, c1_1); // z = a · b');
    expect(source).toContain("const c2 = binaryForward('mul', c1, [N, 3], c2_1, [N, 3], [N, 3]);");
    expect(source).toContain('const c3_1 = softmaxForward(c2, N, 3, 1, false);');
    expect(source).toContain('const c3_4 = c3_3; // the same row-major numbers, read as [N, 3]');
    expect(source).toContain('gatherBackward(d_c3_6, c3_6_index, G["c3.v"]);');
    expect(source.indexOf('bmmInto(fc1, d_c1_1')).toBeGreaterThan(source.indexOf('tanhBackward(c1, d_c1, d_c1_2)'));
  });

  it('TypeScript from scratch: model.ts type-checks alone (strict, no imports), and train.ts against it, for custom nodes using every op', () => {
    const files = new Map<string, string>();
    [project(), restProject()].forEach((p, k) => {
      for (const f of generateCode(p, 'ts-scratch').files) files.set(`/scratch/custom${k}/${f.path}`, f.content);
    });
    const models = [...files].filter(([f]) => f.endsWith('/model.ts')).map(([, content]) => content);
    expect(models).toHaveLength(2);
    for (const m of models) expect(m).not.toMatch(/^\s*import\b/m);
    expect(scratchTypeErrors(models)).toEqual([]);
    expect([...files.keys()].filter((f) => f.endsWith('/train.ts'))).toHaveLength(2);
    expect(scratchTypeErrors(files, true)).toEqual([]);
    // Two compiler runs over two small programs: the limit guards against a hang on a loaded
    // machine (as scratchProgram.test.ts's), it is not a speed target.
  }, 300_000);

  it('TypeScript from scratch: the other ops of the API (sub, neg, exp, log, sqrt, pow, abs, relu, softplus, logSoftmax, mean, sums over several dimensions) match the session (1e-9)', async () => {
    const p = restProject();
    const c4 = p.graph.nodes.find((x) => x.id === 'c4')!.params as { signature: CustomSignature };
    const used = new Set(c4.signature.trace.steps.map((s) => s.op));
    expect([...used].sort()).toEqual(
      [...CUSTOM_OP_NAMES].filter((o) => !['matmul', 'transpose', 'tanh', 'sigmoid', 'softmax'].includes(o)).sort(),
    );
    const { rt, r } = await verified(p, 'float64', 'ts-scratch');
    expect(r).toMatchObject({ same: true });
    expect(r.maxError).toBeLessThan(1e-9);
    expect(r.gradients).toBe(rt.model.namedParameters().length);
  });

  const skip = torchSkipReason('the custom node PyTorch export test');
  it.skipIf(skip !== null)(
    'PyTorch: model.py, given the engine weights, computes its loss and gradients (1e-4)',
    () => {
      const p = project();
      const model = compileProject(p, { dtype: 'float32', seed: 3 });
      const code = generateCode(p, 'python').files[0]!.content;
      expect(code).toContain(
        'self.c1 = nn.ParameterDict({"w": nn.Parameter(torch.zeros(4, 3)), "b": nn.Parameter(torch.zeros(3,))})',
      );
      expect(code).toContain('torch.reshape(');
      expect(code).toMatch(/\.shape\[0\], 3\)\)/);
      const x = tensor([
        [0.2, -1.1],
        [0.9, 0.4],
        [-0.5, 0.3],
      ]);
      const y = tensor([[1], [0], [1]]);
      const { loss } = model.forward({ x, y });
      backward(loss!);
      const rename = generatedNamer(model);
      const engine = Object.fromEntries(model.namedParameters().map(([k, t]) => [rename(k), Array.from(t.grad!.data)]));
      const dir = mkdtempSync(path.join(tmpdir(), 'bps-custom-'));
      try {
        writeFileSync(path.join(dir, 'model.py'), code);
        const driver = [
          'import json, sys, torch',
          'sys.path.insert(0, sys.argv[1])',
          'from model import Model',
          'req = json.load(sys.stdin)',
          'm = Model()',
          "m.load_state_dict({k: torch.tensor(v, dtype=torch.float32) for k, v in req['state'].items()})",
          "loss, _ = m(torch.tensor(req['x']).reshape(3, 2), torch.tensor(req['y']).reshape(3, 1))",
          'loss.backward()',
          "print(json.dumps({'loss': loss.item(), 'grads': {k: p.grad.reshape(-1).tolist() for k, p in m.named_parameters()}}))",
        ].join('\n');
        const py = spawnSync(PYTHON, ['-c', driver, dir], {
          input: JSON.stringify({ state: exportedState(model), x: x.toArray(), y: y.toArray() }),
          encoding: 'utf8',
          timeout: 300_000,
        });
        expect(py.status, py.stderr).toBe(0);
        const torch = JSON.parse(py.stdout) as { loss: number; grads: Record<string, number[]> };
        expect(Math.abs(torch.loss - loss!.item())).toBeLessThan(1e-4);
        expect(Object.keys(torch.grads).sort()).toEqual(Object.keys(engine).sort());
        for (const [k, g] of Object.entries(engine)) {
          const scale = Math.max(1, ...g.map(Math.abs));
          g.forEach((v, i) => expect(Math.abs(v - torch.grads[k]![i]!), `${k}[${i}]`).toBeLessThan(1e-4 * scale));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

afterAll(() => setCustomCodeHost(undefined));
