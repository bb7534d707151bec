// Replay against the training loop itself: every step of a short run with dropout, recorded as
// the session's worker records it, run again and compared with what the live step computed.
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../engine/runtime/compile';
import { summarize, summarizeTensor } from '../../engine/runtime/tensorSummary';
import { resolveDataset } from '../../engine/train/datasets';
import { trainGraph } from '../../engine/train/train';
import { prepareTraining } from '../../engine/train/trainingData';
import type { TensorSummary } from '../../shared/api/tensor';
import { passSummaries, rerunStep } from './stepReplay';
import { spiralWithDropout } from './spiralWithDropout.test-support';
import { saveGenerators, stepGenerators, TrainingRecorder } from './trainingRecorder';

describe('replaying a recorded training step', () => {
  it('gives every edge and parameter gradient of every step as the live step computed them, dropout masks included', () => {
    const p = spiralWithDropout();
    const c = compileGraph(p.graph, { seed: p.training.seed });
    if (!c.ok) throw new Error(c.issues[0].message);
    const model = c.model;
    const data = prepareTraining(model, resolveDataset(p.training.dataset, p.training.seed), p.training);
    if (typeof data === 'string') throw new Error(data);
    const params = model.parameters();
    const names = model.namedParameters().map(([n]) => n);
    const generators = stepGenerators(model);
    expect(generators).toHaveLength(1);
    const recorder = new TrainingRecorder();
    const live = new Map<
      number,
      { activations: Record<string, TensorSummary>; gradients: Record<string, TensorSummary>; grads: TensorSummary[] }
    >();
    const run = trainGraph<TensorSummary>(model, data, p.training, {
      epochs: 3,
      edges: { due: () => true, summarize: summarizeTensor },
    });
    for (;;) {
      recorder.begin(params, generators);
      const r = run.next();
      if (r.done) break;
      const ev = r.value;
      if (ev.type !== 'batch') {
        recorder.abandon();
        continue;
      }
      recorder.end(ev, data.dataset);
      live.set(ev.step, {
        ...ev.edges!,
        grads: params.map((q) => summarize(q.grad!.data, q.shape, q.dtype)),
      });
    }
    const recs = recorder.all();
    expect(recs).toHaveLength(3 * 8);
    // The live model after training, which replay leaves as it is (weights and the generator's state).
    const weights = params.map((q) => q.data.slice());
    const state = saveGenerators(generators);
    for (const rec of recs) {
      const s = rerunStep(model, rec, data.dataset, (pass) => passSummaries(model, pass, rec));
      const l = live.get(rec.step)!;
      expect(s.activations, `step ${rec.step}`).toEqual(l.activations);
      expect(s.gradients, `step ${rec.step}`).toEqual(l.gradients);
      names.forEach((n, i) => {
        expect(s.parameters[n].gradient, `${n} at step ${rec.step}`).toEqual(l.grads[i]);
        expect(s.parameters[n].value).toEqual(summarize(rec.weights[i], params[i].shape, params[i].dtype));
      });
    }
    params.forEach((q, i) => expect(q.data).toEqual(weights[i]));
    expect(saveGenerators(generators)).toEqual(state);
    // The dropout drew other masks at other steps: the edge after it differs between steps.
    const after = recs.slice(0, 2).map((rec) => live.get(rec.step)!.activations.eDrop);
    expect(after[0]).not.toEqual(after[1]);
  });
});
