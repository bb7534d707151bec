import { describe, expect, it } from 'vitest';
import { linearlySeparable } from './synthetic';
import { defaultTrainingSettings } from '../graph/schema';
import { e, n } from '../graph/testGraphs.test-support';
import { compileGraph } from '../runtime/compile';
import { EVAL_CHUNK, evaluate } from './evaluate';
import { readFileSync } from 'node:fs';
import { loadProject } from '../graph/load';
import { noGrad } from '../autograd/gradMode';
import { batchOf, prepareTraining } from './trainingData';
import { toyTranslation } from './toyTranslation';

/** Input(2) → Linear(1) → MSE (with the given reduction) against 0/1 labels, with fixed weights. */
function mseModel(reduction: 'mean' | 'sum') {
  const graph = {
    nodes: [
      n('x', 'Input', { shape: [2] }),
      n('fc', 'Linear', { out_features: 1 }),
      n('y', 'Target', { kind: 'binary-labels', shape: [1] }),
      n('loss', 'MSELoss', { reduction }),
    ],
    edges: [e('x', 'fc'), e('fc', 'loss'), e('y', 'loss', 'target')],
  };
  const weights = { 'fc.weight': { shape: [1, 2], data: [0.3, -0.2] }, 'fc.bias': { shape: [1], data: [0.25] } };
  const c = compileGraph(graph, { dtype: 'float64', weights });
  if (!c.ok) throw new Error(c.issues[0].message);
  return c.model;
}

describe('evaluate', () => {
  // More samples than one evaluation chunk, and a last chunk shorter than the others.
  const ds = linearlySeparable(2 * EVAL_CHUNK + 77, { seed: 3 });
  const settings = { ...defaultTrainingSettings(), split: { train: 1, dev: 0, test: 0 } };

  /** Mean squared error per sample and the fraction of (score ≥ 0.5) = label, computed here by hand. */
  function byHand(idx: readonly number[]) {
    let sq = 0;
    let right = 0;
    let between = 0;
    for (const k of idx) {
      const s = 0.3 * ds.x[2 * k] - 0.2 * ds.x[2 * k + 1] + 0.25;
      sq += (s - ds.y[k]) ** 2;
      if ((s >= 0.5 ? 1 : 0) === ds.y[k]) right++;
      if (s > 0 && s < 0.5) between++;
    }
    return { loss: sq / idx.length, accuracy: right / idx.length, between };
  }

  for (const reduction of ['mean', 'sum'] as const) {
    it(`reports the mean loss per sample for reduction "${reduction}", over several chunks`, () => {
      const model = mseModel(reduction);
      const data = prepareTraining(model, ds, settings);
      if (typeof data === 'string') throw new Error(data);
      const got = evaluate(model, data, data.split.train)!;
      const want = byHand(data.split.train);
      expect(got.n).toBe(ds.n);
      expect(got.loss).toBeCloseTo(want.loss, 10);
      // The threshold case matters here: some scores fall between 0 and 0.5.
      expect(want.between).toBeGreaterThan(50);
      expect(got.accuracy).toBeCloseTo(want.accuracy, 12);
    });
  }

  it('weighs the chunks of a loss that ignores padding by their kept targets: the loss of the whole split at once', () => {
    const text = readFileSync(new URL('../../../resources/examples/seq2seq.json', import.meta.url), 'utf8');
    const r = loadProject(text);
    if (!r.ok) throw new Error(r.error);
    const c = compileGraph(r.project.graph, { dtype: 'float64', seed: 1 });
    if (!c.ok) throw new Error(c.issues[0].message);
    // Words of 3…6 letters padded to 6: the chunks keep different numbers of targets.
    const words = toyTranslation(2 * EVAL_CHUNK + 77, { length: 6, seed: 2 });
    const data = prepareTraining(c.model, words, settings);
    if (typeof data === 'string') throw new Error(data);
    const got = evaluate(c.model, data, data.split.train)!;
    c.model.train(false);
    const whole = noGrad(() => c.model.forward(batchOf(c.model, words, data.split.train)));
    const want = whole.values.get('loss')!.loss.item();
    expect(got.loss).toBeCloseTo(want, 10);
  });
});
