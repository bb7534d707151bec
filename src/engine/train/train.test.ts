import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../graph/load';
import type { Project } from '../graph/schema';
import { compileGraph } from '../runtime/compile';
import { resolveDataset } from './datasets';
import type { EpochReport, TrainSummary } from './train';
import { createOptimizer, trainGraph } from './train';
import { trainStep } from './trainStep';
import { getAllocator } from '../tensor/allocator';
import { prepareTraining, splitData } from './trainingData';

function example(name: string): Project {
  const r = loadProject(
    readFileSync(fileURLToPath(new URL(`../../../resources/examples/${name}`, import.meta.url)), 'utf8'),
  );
  if (!r.ok) throw new Error(r.error);
  return r.project;
}

/** The project's graph compiled with its seed, its data set prepared as training prepares it. */
function prepared(p: Project) {
  const c = compileGraph(p.graph, { seed: p.training.seed });
  if (!c.ok) throw new Error(c.issues[0].message);
  const data = prepareTraining(c.model, resolveDataset(p.training.dataset, p.training.seed), p.training);
  if (typeof data === 'string') throw new Error(data);
  const named = c.model.namedParameters();
  /** Every parameter's values, in order, as plain numbers. */
  const values = () => named.map(([, t]) => Array.from(t.data));
  return { model: c.model, data, named, values };
}

function train(p: Project, epochs: number): { reports: EpochReport[]; summary: TrainSummary } {
  const { model, data } = prepared(p);
  const gen = trainGraph(model, data, p.training, { epochs });
  const reports: EpochReport[] = [];
  for (;;) {
    const r = gen.next();
    if (r.done) return { reports, summary: r.value };
    if (r.value.type === 'epoch') reports.push(r.value.report);
  }
}

describe('trainGraph', () => {
  it('learns XOR with the example MLP, deterministically', () => {
    const p = example('xor-mlp.json');
    const a = train(p, 40);
    expect(a.reports).toHaveLength(40);
    expect(a.reports[39].train.loss).toBeLessThan(a.reports[0].train.loss);
    expect(a.summary.train!.accuracy).toBe(1);
    expect(a.summary.dev!.accuracy).toBe(1);
    expect(a.summary.train!.n + a.summary.dev!.n).toBe(200);
    const b = train(p, 40);
    expect(b.summary).toEqual({ ...a.summary, seconds: b.summary.seconds });
  });

  it('fits the three-class spiral', () => {
    const a = train(example('spiral3-mlp.json'), 150);
    expect(a.summary.train!.accuracy).toBeGreaterThan(0.95);
  });

  it('steps without leaking memory: every intermediate goes back to the pool and is reused', () => {
    const p = example('spiral3-mlp.json');
    const { model, data } = prepared(p);
    const opt = createOptimizer(p.training.optimizer, model.parameters());
    const batches = [0, 1, 2, 3].map((b) => data.split.train.slice(b * 32, b * 32 + 32));
    const steps = (n: number): void => {
      for (let i = 0; i < n; i++) expect(trainStep(model, data, opt, batches[i % batches.length]).ok).toBe(true);
    };
    steps(8);
    const before = getAllocator().stats();
    steps(40);
    const after = getAllocator().stats();
    expect(after.live).toBe(before.live);
    expect(after.fresh).toBe(before.fresh);
    expect(after.reused).toBeGreaterThan(before.reused);
  });

  it('refuses a data set that does not fit the graph, in one sentence', () => {
    const p = example('spiral3-mlp.json');
    const c = compileGraph(p.graph);
    if (!c.ok) throw new Error('compile');
    p.graph.nodes[0].params = { shape: [1] };
    const one = compileGraph(p.graph);
    if (!one.ok) throw new Error('compile');
    expect(prepareTraining(one.model, resolveDataset({ name: 'sine', params: {} }, 0), p.training)).toBe(
      'the data set "noisySine" is a regression set, but Target "y" expects class labels',
    );
    expect(prepareTraining(c.model, resolveDataset({ name: 'bits', params: { length: 3 } }, 0), p.training)).toMatch(
      /takes 2 = 2 features.*has 3/,
    );
    expect(() => resolveDataset({ name: 'mnist', params: {} }, 0)).toThrow(/Unknown data set "mnist"/);
  });

  it('stops on NaN and names the node where it appeared', () => {
    const p = example('xor-mlp.json');
    const c = compileGraph(p.graph, { seed: 0 });
    if (!c.ok) throw new Error('compile');
    c.model.namedParameters().find(([k]) => k === 'fc2.weight')![1].data[3] = NaN;
    const data = prepareTraining(c.model, resolveDataset(p.training.dataset, 0), p.training);
    if (typeof data === 'string') throw new Error(data);
    const r = trainGraph(c.model, data, p.training, { epochs: 3 }).next();
    expect(r.done).toBe(true);
    expect(r.done && r.value.error).toBe(
      'training stopped at epoch 1: the loss became NaN; the first NaN or Inf appeared in Linear "fc2"',
    );
    expect(r.done && r.value.nodeId).toBe('fc2');
    expect(r.done && r.value.reason).toBe('failed');
  });

  it('restores every parameter when an update overflows, step after step, and then trains on', () => {
    const p = example('spiral3-mlp.json');
    const { model, data, values } = prepared(p);
    const huge = createOptimizer({ ...p.training.optimizer, type: 'sgd', lr: 1e300 }, model.parameters());
    const batches = [0, 1].map((b) => data.split.train.slice(b * 32, b * 32 + 32));
    // The values before each step are kept in a buffer reused from step to step: each restore is
    // of the step's own values, and a later good step is not undone.
    const start = values();
    for (const batch of batches) {
      const r = trainStep(model, data, huge, batch);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.message).toMatch(/became NaN or infinite in the update.*restored to its value before the step/);
      expect(values()).toEqual(start);
    }
    const sane = createOptimizer(p.training.optimizer, model.parameters());
    expect(trainStep(model, data, sane, batches[0]).ok).toBe(true);
    const trained = values();
    expect(trained).not.toEqual(start);
    expect(trainStep(model, data, huge, batches[1]).ok).toBe(false);
    expect(values()).toEqual(trained);
  });

  it('stops on a NaN or Inf gradient, naming the last node it appears in, and leaves the weights as they were', () => {
    const p = example('spiral3-mlp.json');
    const { model, data, named, values } = prepared(p);
    const batch = data.split.train.slice(0, 32);
    const opt = createOptimizer(p.training.optimizer, model.parameters());
    expect(trainStep(model, data, opt, batch).ok).toBe(true);
    // The loss stays finite; the gradients the step accumulates start from NaN or Inf (zeroGrad
    // poisoned), as if the backward pass of that node had produced them.
    const [first, second] = named.filter(([n]) => n.endsWith('.weight')).map(([n]) => n);
    const zero = opt.zeroGrad.bind(opt);
    const poison = (names: readonly string[]) => () => {
      zero();
      for (const [n, t] of named) if (names.includes(n)) t.grad!.data[1] = n === first ? NaN : Infinity;
    };
    const start = values();
    opt.zeroGrad = poison([first]);
    const one = trainStep(model, data, opt, batch);
    const node = (name: string) => name.slice(0, name.indexOf('.'));
    expect(one).toMatchObject({ ok: false, nodeId: node(first) });
    expect(!one.ok && one.message).toMatch(
      new RegExp(`^the gradient of "${first}" became NaN or infinite, first in .*"${node(first)}"$`),
    );
    expect(values()).toEqual(start);
    // Gradients are checked from the last node back: the later node is where the value entered.
    opt.zeroGrad = poison([first, second]);
    expect(trainStep(model, data, opt, batch)).toMatchObject({ ok: false, nodeId: node(second) });
    expect(values()).toEqual(start);
    opt.zeroGrad = zero;
    expect(trainStep(model, data, opt, batch).ok).toBe(true);
  });

  it('restores the weights from the copy the caller made before the step, when it gives one', () => {
    const p = example('spiral3-mlp.json');
    const { model, data } = prepared(p);
    const params = model.parameters();
    // A copy unlike the weights shows which one the restore used (the caller's, not one of its own).
    const before = params.map((t) => t.data.map((v) => v + 1));
    const huge = createOptimizer({ ...p.training.optimizer, type: 'sgd', lr: 1e300 }, params);
    const r = trainStep(model, data, huge, data.split.train.slice(0, 32), undefined, before);
    expect(!r.ok && r.message).toMatch(/became NaN or infinite in the update.*restored to its value before the step/);
    expect(params.map((t) => Array.from(t.data))).toEqual(before.map((b) => Array.from(b)));
  });

  it("early stopping ends on the best dev epoch and hands back that epoch's weights", () => {
    const p = example('spiral3-mlp.json');
    // A big step size on a small set: the dev loss soon stops improving.
    p.training = {
      ...p.training,
      dataset: { name: 'spiral', params: { n: 90, classes: 3, noise: 0.3 } },
      optimizer: { ...p.training.optimizer, type: 'adam', lr: 0.05 },
      earlyStopping: { enabled: true, patience: 5 },
    };
    const { reports, summary } = train(p, 400);
    expect(summary.reason).toBe('early-stopping');
    const bestDev = Math.min(...reports.map((e) => e.dev!.loss));
    const best = reports.find((e) => e.dev!.loss === bestDev)!;
    expect(summary.bestEpoch).toBe(best.epoch);
    expect(summary.epochs).toBe(best.epoch + 5);
    // The model holds the best epoch's weights: its dev metrics are that epoch's, not the last one's.
    expect(summary.dev).toEqual(best.dev);
    expect(reports.at(-1)!.dev!.loss).toBeGreaterThan(bestDev);
  });

  it('shuffles the labels of the training split only, by the split seed', () => {
    const p = example('spiral3-mlp.json');
    const ds = resolveDataset(p.training.dataset, p.training.seed);
    const plain = splitData(ds, p.training);
    const shuffled = splitData(ds, { ...p.training, shuffleLabels: true });
    expect(shuffled.split).toEqual(plain.split);
    const label = (d: typeof plain, i: number) => d.dataset.y[i];
    for (const i of [...plain.split.dev, ...plain.split.test]) expect(label(shuffled, i)).toBe(label(plain, i));
    const moved = plain.split.train.filter((i) => label(shuffled, i) !== label(plain, i)).length;
    expect(moved).toBeGreaterThan(plain.split.train.length / 2);
    // The same labels, in another order: class counts are unchanged.
    const counts = (d: typeof plain) => plain.split.train.map((i) => label(d, i)).sort((a, b) => a - b);
    expect(counts(shuffled)).toEqual(counts(plain));
    // The split has a seed of its own: the training seed no longer moves the data.
    const fixed = { ...p.training, split: { ...p.training.split, seed: 7 } };
    expect(splitData(ds, { ...fixed, seed: 1 }).split).toEqual(splitData(ds, { ...fixed, seed: 2 }).split);
  });
});
