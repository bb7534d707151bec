// Replay against the training loop itself: every step of a short run with dropout, recorded as
// the session's worker records it (keyframes and the steps between), its weights found again
// and its pass run again, compared with what the live step had and computed.
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../engine/runtime/compile';
import { summarize, summarizeTensor } from '../../engine/runtime/tensorSummary';
import { resolveDataset } from '../../engine/train/datasets';
import { createOptimizer, trainGraph } from '../../engine/train/train';
import type { Project } from '../../engine/graph/schema';
import { prepareTraining } from '../../engine/train/trainingData';
import type { TensorSummary } from '../../shared/api/tensor';
import { passSummaries, recordedStep, rerunStep } from './stepReplay';
import { spiralWithDropout } from './spiralWithDropout.test-support';
import { saveGenerators, stepGenerators, TrainingRecorder } from './trainingRecorder';

/**
 * Trains the spiral with a Dropout for three epochs as the session's worker does, recording every
 * step (a keyframe every `keyframeSteps`), and gives what each live step computed.
 */
function recordRun(optimizer: Project['training']['optimizer'], keyframeSteps: number) {
  const p0 = spiralWithDropout();
  const p = { ...p0, training: { ...p0.training, optimizer } };
  const c = compileGraph(p.graph, { seed: p.training.seed });
  if (!c.ok) throw new Error(c.issues[0].message);
  const model = c.model;
  const data = prepareTraining(model, resolveDataset(p.training.dataset, p.training.seed), p.training);
  if (typeof data === 'string') throw new Error(data);
  const params = model.parameters();
  const generators = stepGenerators(model);
  expect(generators).toHaveLength(1);
  const opt = createOptimizer(p.training.optimizer, params);
  const recorder = new TrainingRecorder(undefined, undefined, { keyframeSteps, keyframeMs: Infinity });
  const live = new Map<
    number,
    {
      activations: Record<string, TensorSummary>;
      gradients: Record<string, TensorSummary>;
      grads: TensorSummary[];
      weights: (Float32Array | Float64Array)[];
    }
  >();
  const run = trainGraph<TensorSummary>(model, data, p.training, {
    epochs: 3,
    optimizer: opt,
    edges: { due: () => true, summarize: summarizeTensor },
  });
  for (;;) {
    const before = params.map((q) => q.data.slice(0, q.size));
    recorder.begin(params, generators, opt);
    const r = run.next();
    if (r.done) break;
    const ev = r.value;
    if (ev.type !== 'batch') {
      recorder.abandon();
      continue;
    }
    recorder.end(ev, data.dataset, data);
    live.set(ev.step, {
      ...ev.edges!,
      grads: params.map((q) => summarize(q.grad!.data, q.shape, q.dtype)),
      weights: before,
    });
  }
  return { model, data, params, generators, opt, recorder, live };
}

describe('replaying a recorded training step', () => {
  it.each([
    [
      'Adam',
      { type: 'adam', lr: 0.01, momentum: 0, nesterov: false, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    ],
    [
      'SGD with Nesterov momentum and weight decay',
      { type: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    ],
  ] as const)(
    'gives every step the weights, edges and gradients the live step had, from keyframes 5 steps apart (%s)',
    (_name, optimizer) => {
      const { model, data, params, generators, opt, recorder, live } = recordRun(optimizer, 5);
      const names = model.namedParameters().map(([n]) => n);
      const recs = recorder.all();
      expect(recs).toHaveLength(3 * 8);
      // The live model after training, which replay leaves as it is (weights, generator, optimizer).
      const weights = params.map((q) => q.data.slice());
      const state = saveGenerators(generators);
      const optimizerState = JSON.stringify(opt.stateDict());
      let computedAgain = 0;
      for (const r of recs) {
        const path = recorder.path(r.step)!;
        expect(path.keyframe.step).toBe(1 + 5 * Math.floor((r.step - 1) / 5));
        computedAgain += path.between.length;
        const rec = recordedStep(model, path);
        const l = live.get(rec.step)!;
        // The weights found again from the keyframe are the live step's, bit for bit.
        rec.weights.forEach((w, i) => expect(w, `${names[i]} at step ${rec.step}`).toEqual(l.weights[i]));
        const s = rerunStep(model, rec, data.dataset, (pass) => passSummaries(model, pass, rec));
        expect(s.activations, `step ${rec.step}`).toEqual(l.activations);
        expect(s.gradients, `step ${rec.step}`).toEqual(l.gradients);
        names.forEach((n, i) => {
          expect(s.parameters[n].gradient, `${n} at step ${rec.step}`).toEqual(l.grads[i]);
          expect(s.parameters[n].value).toEqual(summarize(rec.weights[i], params[i].shape, params[i].dtype));
        });
      }
      expect(computedAgain).toBeGreaterThan(30);
      params.forEach((q, i) => expect(q.data).toEqual(weights[i]));
      expect(saveGenerators(generators)).toEqual(state);
      expect(JSON.stringify(opt.stateDict())).toBe(optimizerState);
      // The dropout drew other masks at other steps: the edge after it differs between steps.
      const after = recs.slice(0, 2).map((rec) => live.get(rec.step)!.activations.eDrop);
      expect(after[0]).not.toEqual(after[1]);
    },
  );

  it('refuses to show a step whose steps in between do not train again as they did', () => {
    const { model, recorder } = recordRun(
      { type: 'adam', lr: 0.01, momentum: 0, nesterov: false, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      8,
    );
    // As if a node had drawn numbers the recorder does not keep: a step in between trains otherwise.
    const path = recorder.path(4)!;
    const tampered = {
      ...path,
      between: path.between.map((r, i) => (i === 1 ? { ...r, indices: r.indices.slice().reverse() } : r)),
    };
    expect(() => recordedStep(model, tampered)).toThrow(/Step 4 cannot be shown: training step 2 again gave the loss/);
    // The untouched path still gives the step.
    expect(recordedStep(model, path).step).toBe(4);
  });
});
