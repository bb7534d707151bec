// The course's scalar computational graph (resources/examples/scalar-graph.json): the step
// session's numbers are the ones a student derives by hand for f(x, y, z) = (x + y)·z with
// x = −2, y = 5, z = −4 and L = (f − t)², t = −12.5 — in float64 to the last digit, and in
// float32 where every value is exact. Then the example trains through the CLI to its target.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../engine/graph/load';
import { compileGraph } from '../engine/runtime/compile';
import { StepSession } from '../engine/runtime/stepSession';
import { resolveDataset } from '../engine/train/datasets';
import { createOptimizer } from '../engine/train/train';
import { batchOf, splitData } from '../engine/train/trainingData';
import { main } from './cli';

const FILE = fileURLToPath(new URL('../../resources/examples/scalar-graph.json', import.meta.url));

function project() {
  const r = loadProject(readFileSync(FILE, 'utf8'));
  if (!r.ok) throw new Error(r.error);
  expect(r.issues).toEqual([]);
  return r.project;
}

describe('scalar computational graph example', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`steps to the hand-derived values and updates by hand (${dtype})`, () => {
      const p = project();
      const c = compileGraph(p.graph, { seed: p.training.seed, dtype });
      if (!c.ok) throw new Error(c.issues.map((i) => i.message).join('\n'));
      const { dataset, split } = splitData(resolveDataset(p.training.dataset, p.training.seed), p.training);
      expect(split.train).toEqual([0]);
      const s = new StepSession(c.model, createOptimizer(p.training.optimizer, c.model.parameters()));
      s.loadBatch(batchOf(c.model, dataset, split.train));
      s.runForward();
      const value = (edge: string) => Array.from(s.activation(edge)!.data);
      expect(value('e1')).toEqual([-2]); // x
      expect(value('e3')).toEqual([3]); // q = x + y
      expect(value('e5')).toEqual([-12]); // f = q·z
      expect(s.loss()).toBe(0.25); // (f − t)²
      // The Parameter nodes are steps of the backward pass, which report their gradients.
      const steps = s.runBackward();
      expect(steps.map((r) => r.nodeId)).toEqual(['loss', 'f', 'q', 'z', 'y']);
      expect(steps.flatMap((r) => r.parameters ?? [])).toEqual(['z.value', 'y.value']);
      const grad = (edge: string) => s.gradient(edge) && Array.from(s.gradient(edge)!.data);
      expect(grad('e5')).toEqual([1]); // ∂L/∂f = 2(f − t)
      expect(grad('e4')).toEqual([3]); // ∂L/∂z = q
      expect(grad('e3')).toEqual([-4]); // ∂L/∂q = z
      expect(grad('e2')).toEqual([-4]); // ∂L/∂y = ∂L/∂q
      expect(grad('e1')).toBeUndefined(); // data gets no gradient
      expect(s.parameterGradient('y.value')!.item()).toBe(-4);
      expect(s.parameterGradient('z.value')!.item()).toBe(3);
      s.applyUpdate();
      const params = Object.fromEntries(c.model.namedParameters().map(([k, t]) => [k, t.item()]));
      const tol = dtype === 'float64' ? 1e-15 : 1e-6;
      expect(Math.abs(params['y.value'] - 5.04)).toBeLessThan(tol);
      expect(Math.abs(params['z.value'] - -4.03)).toBeLessThan(tol);
    });
  }

  it('trains through the CLI until f reaches the target (loss below 0.001 in 30 epochs)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bps-scalar-'));
    const file = join(dir, 'scalar.json');
    writeFileSync(file, readFileSync(FILE, 'utf8'));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['train', file], { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
    expect(code, err.join('\n')).toBe(0);
    const first = JSON.parse(out[0]) as { train: { loss: number } };
    const last = JSON.parse(out[out.length - 1]) as { final: boolean; epochs: number; train: { loss: number } };
    expect(last.final).toBe(true);
    expect(last.epochs).toBe(30);
    expect(last.train.loss).toBeLessThan(0.001);
    expect(last.train.loss).toBeLessThan(first.train.loss);
  });
});
