// The course examples' stated results (resources/examples/gallery/index.json), each checked by training
// it through the CLI's own command line (in-process, the same `main` the binary runs) with the
// example's fixed seed. Variants the explanations suggest (swap a loss, an activation, the data)
// are the example's file with that one change.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProject, saveProject } from '../engine/graph/load';
import type { Project } from '../engine/graph/schema';
import { main } from './cli';

const EXAMPLES = fileURLToPath(new URL('../../resources/examples', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bps-examples-'));

interface Metrics {
  loss: number;
  accuracy: number | null;
  n: number;
}
interface Final {
  final: true;
  epochs: number;
  train: Metrics;
  dev: Metrics | null;
  test: Metrics | null;
}

function example(id: string): Project {
  const r = loadProject(readFileSync(join(EXAMPLES, `${id}.json`), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  expect(r.issues, id).toEqual([]);
  return r.project;
}

/** Replaces node `id`'s type (and parameters) — the edit a student makes on the canvas. */
function swapNode(p: Project, id: string, type: string, params: Record<string, unknown> = {}): Project {
  const nodes = p.graph.nodes.map((n) => (n.id === id ? { ...n, type, params } : n));
  expect(
    nodes.some((n) => n.id === id),
    id,
  ).toBe(true);
  return { ...p, graph: { ...p.graph, nodes } };
}

function setParams(p: Project, id: string, params: Record<string, unknown>): Project {
  const nodes = p.graph.nodes.map((n) => (n.id === id ? { ...n, params: { ...n.params, ...params } } : n));
  return { ...p, graph: { ...p.graph, nodes } };
}

function withTraining(p: Project, t: Partial<Project['training']>): Project {
  return { ...p, training: { ...p.training, ...t } };
}

let files = 0;
async function cli(args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

/** `backprop-studio train FILE [extra…]` on the project; the final metrics line. */
async function train(p: Project, ...extra: string[]): Promise<Final> {
  const file = join(dir, `p${files++}.json`);
  writeFileSync(file, saveProject(p));
  const r = await cli(['train', file, ...extra]);
  expect(r.code, r.stderr.join('\n')).toBe(0);
  const last = JSON.parse(r.stdout[r.stdout.length - 1]) as Final;
  expect(last.final).toBe(true);
  return last;
}

describe('course examples: the stated results, trained through the CLI with fixed seeds', () => {
  it('the index lists every example file, in course order, each with a topic, a line and a stated result', () => {
    const index = JSON.parse(readFileSync(join(EXAMPLES, 'gallery', 'index.json'), 'utf8')) as {
      examples: { id: string; topic: string; summary: string; result: string }[];
    };
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length));
    expect(index.examples.map((e) => e.id).sort()).toEqual(files.sort());
    for (const e of index.examples) {
      example(e.id);
      expect(e.topic.length, e.id).toBeGreaterThan(3);
      expect(e.summary.length, e.id).toBeGreaterThan(10);
      expect(e.result.length, e.id).toBeGreaterThan(10);
    }
  });

  it('perceptron: converges on separable points; on XOR it stays at or below 75%', async () => {
    const p = example('perceptron');
    const sep = await train(p);
    expect(sep.train.accuracy).toBe(1);
    const onXor = await train(withTraining(p, { dataset: { name: 'xor', params: { n: 200, noise: 0.1 } } }));
    expect(onXor.train.accuracy!).toBeLessThanOrEqual(0.75);
  });

  it('XOR: the one-hidden-layer MLP reaches 100%', async () => {
    const r = await train(example('xor-mlp'));
    expect(r.train.accuracy).toBe(1);
    expect(r.dev!.accuracy).toBe(1);
  });

  it('activations: the same MLP separates the circles with tanh, sigmoid and ReLU', async () => {
    const p = example('activations');
    for (const act of ['Tanh', 'Sigmoid', 'ReLU']) {
      const r = await train(swapNode(p, 'act1', act));
      expect(r.dev!.accuracy!, act).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('binary losses: hinge and logistic with ±1 labels, BCE and the 0/1 hinge with 0/1 labels', async () => {
    const p = example('binary-losses');
    const pm1 = await train(p);
    const logistic = await train(swapNode(p, 'loss', 'LogisticLoss', { reduction: 'mean' }));
    const zeroOne = setParams(swapNode(p, 'pred', 'Threshold', { threshold: 0 }), 'y', { kind: 'binary-labels' });
    const bce = await train(swapNode(zeroOne, 'loss', 'BCEWithLogitsLoss', { reduction: 'mean' }));
    const hinge01 = await train(swapNode(zeroOne, 'loss', 'HingeLoss01', { reduction: 'mean' }));
    for (const [name, r] of Object.entries({ pm1, logistic, bce, hinge01 }))
      expect(r.test!.accuracy!, name).toBeGreaterThanOrEqual(0.95);
  });

  it('multiclass: the spiral reaches 95% with cross-entropy and with the multiclass hinge', async () => {
    const p = example('spiral3-mlp');
    const ce = await train(p);
    const hinge = await train(swapNode(p, 'loss', 'MulticlassHingeLoss', { reduction: 'mean', margin: 1 }));
    expect(ce.train.accuracy!).toBeGreaterThanOrEqual(0.95);
    expect(hinge.train.accuracy!).toBeGreaterThanOrEqual(0.95);
  });

  it('regression: with outliers above the curve, the absolute error stays on the sine; the squared error is pulled up', async () => {
    const p = example('regression');
    const grid = Array.from({ length: 41 }, (_, i) => -Math.PI + (i * 2 * Math.PI) / 40);
    const xFile = join(dir, 'grid-x.json');
    const yFile = join(dir, 'grid-y.json');
    writeFileSync(xFile, JSON.stringify(grid.map((x) => [x])));
    writeFileSync(yFile, JSON.stringify(grid.map((x) => [Math.sin(x)])));
    const into = p.graph.edges.find((e) => e.target === 'loss' && e.targetPort === 'input')!.id;
    /** Mean signed and absolute distance of the trained curve from the clean sine. */
    const offCurve = async (q: Project) => {
      const w = join(dir, `w${files}.json`);
      await train(q, '--save-weights', w);
      const out = join(dir, `run${files}.json`);
      const file = join(dir, `q${files++}.json`);
      writeFileSync(file, saveProject(q));
      const r = await cli(['run', file, '--weights', w, '--eval', '--input', xFile, '--target', yFile, '--out', out]);
      expect(r.code, r.stderr.join('\n')).toBe(0);
      const f = (JSON.parse(readFileSync(out, 'utf8')) as { edges: Record<string, { activation: { data: number[] } }> })
        .edges[into].activation.data;
      const d = f.map((v, i) => v - Math.sin(grid[i]));
      return { bias: d.reduce((a, b) => a + b, 0) / d.length, abs: d.reduce((a, b) => a + Math.abs(b), 0) / d.length };
    };
    const mse = await offCurve(p);
    const l1 = await offCurve(swapNode(p, 'loss', 'L1Loss', { reduction: 'mean' }));
    expect(mse.bias).toBeGreaterThan(0.3);
    expect(l1.abs).toBeLessThan(0.2);
    expect(l1.abs).toBeLessThan(mse.abs / 2);
  });

  it('digits: the MLP reaches 93% on the test set and the CNN 95%', async () => {
    expect((await train(example('digits-mlp'))).test!.accuracy!).toBeGreaterThanOrEqual(0.93);
    expect((await train(example('digits-cnn'))).test!.accuracy!).toBeGreaterThanOrEqual(0.95);
  });

  it('overfitting: the wide MLP fits its small training set; dropout and weight decay narrow the train/test gap', async () => {
    const p = example('overfitting');
    const plain = await train(p);
    expect(plain.train.accuracy).toBe(1);
    const gap = (r: Final) => r.train.accuracy! - r.test!.accuracy!;
    const regularised = await train(
      withTraining(setParams(p, 'drop', { p: 0.5 }), { optimizer: { ...p.training.optimizer, weightDecay: 0.01 } }),
    );
    expect(gap(regularised)).toBeLessThan(gap(plain));
  });

  it('overfitting: with its training labels shuffled, the wide MLP still fits them (≥ 95%) and is at chance on the test set', async () => {
    const r = await train(withTraining(example('overfitting'), { shuffleLabels: true }));
    expect(r.train.accuracy!).toBeGreaterThanOrEqual(0.95);
    // Ten classes: chance is 10%; the true test labels are unrelated to what it memorised.
    expect(Math.abs(r.test!.accuracy! - 0.1)).toBeLessThanOrEqual(0.06);
  });

  it('RNN: the Elman RNN and its bidirectional twin count the ones in bit sequences', async () => {
    const p = example('rnn-bits');
    const uni = await train(p);
    const bi = await train(setParams(p, 'rnn', { bidirectional: true }));
    expect(uni.test!.accuracy!).toBeGreaterThanOrEqual(0.9);
    expect(bi.test!.accuracy!).toBeGreaterThanOrEqual(0.9);
  });
});
