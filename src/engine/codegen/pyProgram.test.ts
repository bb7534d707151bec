import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backward } from '../autograd/backward';
import { compileGraph } from '../runtime/compile';
import { tensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { generateCode } from './generate';
import { identifiersFor } from './names';
import { exportedState } from './weights';
import { caseBatch, exampleCases, randomCases, runtimeCases } from './testProjects.test-support';
import { PYTHON, torchSkipReason } from '../torchReference.test-support';

/**
 * The PyTorch export, run by PyTorch (/usr/bin/python3): for every bundled example, every runtime
 * test case and random layer stacks, model.py given the engine's weights by name (through
 * load_state_dict, as weights.json is loaded) computes the engine's loss and parameter gradients to
 * 1e-4 in float32. One Python process runs every case. Skipped, with a message, without torch.
 */
const hasTorch = torchSkipReason('the PyTorch export test') === null;

const CASES_ALL = [...exampleCases(), ...runtimeCases(), ...randomCases(12)];
const dir = mkdtempSync(path.join(tmpdir(), 'bps-pyexport-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DRIVER = `
import importlib, json, sys
import torch
sys.path.insert(0, sys.argv[1])
out = []
for req in json.load(sys.stdin):
    Model = importlib.import_module(req['module']).Model
    model = Model()
    sd = model.state_dict()
    missing, unexpected = model.load_state_dict({k: torch.tensor(v, dtype=torch.float32) for k, v in req['state'].items()}, strict=False)
    assert not unexpected and all(k.endswith('num_batches_tracked') for k in missing), (missing, unexpected)
    model.train(not req['eval'])
    args = [torch.tensor(t['data'], dtype=torch.long if t['long'] else torch.float32).reshape(t['shape']) for t in req['batch']]
    loss, _ = model(*args)
    loss.backward()
    out.append({'loss': loss.item(), 'grads': {n: p.grad.reshape(-1).tolist() for n, p in model.named_parameters() if p.grad is not None}})
print(json.dumps(out))
`;

interface Reference {
  loss: number;
  grads: Record<string, number[]>;
}

/** Every case's engine result (float32) and its request for the driver. */
const prepared = CASES_ALL.map((c, k) => {
  const r = compileGraph(c.project.graph, { seed: 3, dtype: 'float32' });
  if (!r.ok) throw new Error(`${c.name}: ${r.issues[0].message}`);
  const code = generateCode(c.project, 'python');
  writeFileSync(path.join(dir, `model_${k}.py`), code.files[0].content);
  // What weights.json holds: the state by generated name, as nested arrays.
  const state = exportedState(r.model);
  const names = identifiersFor(r.model.nodes.map((n) => n.id));
  const rename = (n: string) => `${names.get(n.slice(0, n.indexOf('.')))}${n.slice(n.indexOf('.'))}`;
  const batch64 = caseBatch(c, r.model);
  const batch: Record<string, Tensor> = Object.fromEntries(
    Object.entries(batch64).map(([id, t]) => [id, tensor(t.toArray(), t.shape, { dtype: 'float32' })]),
  );
  if (c.evalMode) r.model.eval();
  const { loss } = r.model.forward(batch);
  backward(loss!);
  const engine: Reference = {
    loss: loss!.item(),
    grads: Object.fromEntries(r.model.namedParameters().map(([n, p]) => [rename(n), Array.from(p.grad!.data)])),
  };
  const dataNodes = r.model.nodes.filter((n) => n.def.type === 'Input' || n.def.type === 'Target');
  const request = {
    module: `model_${k}`,
    state,
    eval: c.evalMode === true,
    batch: dataNodes.map((n) => ({
      shape: batch[n.id].shape,
      data: batch[n.id].toArray(),
      long: n.outputTypes.out.kind === 'indices' || n.outputTypes.out.kind === 'class-labels',
    })),
  };
  return { c, engine, request };
});

let torchResults: Reference[] | Error | undefined;
function torchResult(k: number): Reference {
  if (torchResults === undefined) {
    const py = spawnSync(PYTHON, ['-c', DRIVER, dir], {
      input: JSON.stringify(prepared.map((p) => p.request)),
      encoding: 'utf8',
      timeout: 600_000,
      maxBuffer: 1 << 28,
    });
    torchResults = py.status === 0 ? (JSON.parse(py.stdout) as Reference[]) : new Error(`python failed:\n${py.stderr}`);
  }
  if (torchResults instanceof Error) throw torchResults;
  return torchResults[k];
}

/** |a − b| ≤ 1e-4 · max(1, the tensor's scale). */
function close(a: readonly number[], b: readonly number[], what: string): void {
  expect(a.length, what).toBe(b.length);
  const scale = Math.max(1, ...b.map(Math.abs));
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `${what}[${i}]`).toBeLessThanOrEqual(1e-4 * scale);
}

describe('PyTorch export', () => {
  prepared.forEach(({ c, engine }, k) => {
    it.skipIf(!hasTorch)(`${c.name}: model.py gives the engine's loss and gradients (float32, 1e-4)`, () => {
      const t = torchResult(k);
      close([t.loss], [engine.loss], 'loss');
      expect(Object.keys(t.grads).sort()).toEqual(Object.keys(engine.grads).sort());
      for (const [name, g] of Object.entries(engine.grads)) close(t.grads[name], g, name);
    });
  });
});
