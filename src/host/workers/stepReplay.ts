// Time travel's replay: a recorded training step run again. The recorder keeps only what a step
// cannot recompute (trainingRecorder.ts); this finds the weights it computed with again from its
// keyframe (the steps in between trained once more, as training ran them) and runs the step's
// forward and backward pass again from them — on its batch, in training mode, with its generators
// where they stood (the same dropout masks) — in a step session of its own, so the activations
// and gradients come out as the live step computed them: the same arithmetic on the same values.
import type { Optimizer, OptimizerSnapshot } from '../../engine/optim/optimizer';
import type { GraphModel } from '../../engine/runtime/compile';
import { StepSession } from '../../engine/runtime/stepSession';
import { summarize, summarizeTensor } from '../../engine/runtime/tensorSummary';
import { zeros } from '../../engine/tensor/create';
import { keep } from '../../engine/tensor/scope';
import type { Dataset } from '../../engine/train/dataset';
import { batchOf } from '../../engine/train/trainingData';
import { trainStep } from '../../engine/train/trainStep';
import type { TensorSummary } from '../../shared/api/tensor';
import type { RecordedStep, StepPath } from './trainingRecorder';
import { loadGenerators, saveGenerators, stepGenerators } from './trainingRecorder';

/** A recorded step with the weights it computed with (before its update), in the model's parameter order. */
export interface StepRecord extends RecordedStep {
  readonly weights: readonly (Float32Array | Float64Array)[];
  /**
   * The state of the run's optimizer before the step (its step count and buffers: momentum,
   * Adam's moments) and that optimizer; null for a step recorded whole, without one.
   */
  readonly optimizer: { readonly of: Optimizer; readonly state: OptimizerSnapshot } | null;
}

/**
 * A recorded step with its weights: its keyframe's, or, for a step after the keyframe, those the
 * steps in between give when they are trained again from it — each on its batch, with its
 * generators' states, by the optimizer of the run from its state at the keyframe (trainStep: the
 * kernels training ran, on the same values). Each step trained again must give the loss it gave
 * in training, bit for bit, or this throws: the weights would not be those the step had. The
 * model's weights, gradients, buffers, training mode and generators, and the optimizer's state,
 * are put back after; the optimizer's state before the step comes with the weights.
 */
export function recordedStep(model: GraphModel, path: StepPath): StepRecord {
  const { keyframe, between, record } = path;
  if (between.length === 0)
    return {
      ...record,
      weights: keyframe.weights,
      optimizer:
        keyframe.optimizer !== null && keyframe.state !== null
          ? { of: keyframe.optimizer, state: keyframe.state }
          : null,
    };
  const optimizer = keyframe.optimizer;
  const state = keyframe.state;
  const training = keyframe.training;
  if (optimizer === null || state === null || training === null)
    throw new Error(`Step ${record.step} was recorded without what it takes to compute its weights again.`);
  const params = model.parameters();
  const weights = params.map((p) => p.data.slice(0, p.size));
  const grads = params.map((p) => p.grad);
  const buffers = model.namedBuffers().map(([, b]) => [b, b.data.slice(0, b.size)] as const);
  const mode = model.training;
  const generators = stepGenerators(model);
  const live = saveGenerators(generators);
  const liveState = optimizer.snapshot();
  try {
    params.forEach((p, i) => {
      p.data.set(keyframe.weights[i]);
      // As training had them before the keyframe's step: a gradient to zero and add to, or none.
      p.grad = keyframe.grads[i] ? keep(zeros(p.shape, { dtype: p.dtype })) : null;
    });
    optimizer.restore(state);
    for (const r of between) {
      loadGenerators(generators, r.generators);
      const res = trainStep(
        model,
        r.dataset === null ? training : { ...training, dataset: r.dataset },
        optimizer,
        r.indices,
      );
      if (!res.ok || !Object.is(res.loss, r.loss))
        throw new Error(
          `Step ${record.step} cannot be shown: training step ${r.step} again gave ` +
            `${res.ok ? `the loss ${res.loss}, where training gave ${r.loss}` : res.message}. ` +
            'Time travel does not record random numbers drawn other than by Dropout nodes.',
        );
    }
    return {
      ...record,
      weights: params.map((p) => p.data.slice(0, p.size)),
      optimizer: { of: optimizer, state: optimizer.snapshot() },
    };
  } finally {
    params.forEach((p, i) => {
      p.data.set(weights[i]);
      if (p.grad !== grads[i]) p.grad?.dispose();
      p.grad = grads[i];
    });
    for (const [b, v] of buffers) b.data.set(v);
    model.train(mode);
    loadGenerators(generators, live);
    optimizer.restore(liveState);
  }
}

/**
 * Runs `fn` with the model's weights set to those a recorded step computed with, then puts the
 * current ones back (the decision boundary or fitted curve of that step).
 */
export function withStepWeights<T>(model: GraphModel, rec: StepRecord, fn: () => T): T {
  const params = model.parameters();
  const now = params.map((p) => p.data.slice(0, p.size));
  params.forEach((p, i) => p.data.set(rec.weights[i]));
  try {
    return fn();
  } finally {
    params.forEach((p, i) => p.data.set(now[i]));
  }
}

/**
 * Runs a recorded step's forward and backward pass again, on `dataset` (the one its indices point
 * into), and hands the pass to `fn`, which reads what it needs from it before it is released.
 * Everything live is put back after: the weights, the parameters' gradients, the buffers (batch
 * norm's running statistics), the training mode and the generators' states; a step session the
 * caller holds keeps its own pass.
 */
export function rerunStep<T>(model: GraphModel, rec: StepRecord, dataset: Dataset, fn: (pass: StepSession) => T): T {
  const batch = batchOf(model, dataset, rec.indices);
  const params = model.parameters();
  const grads = params.map((p) => p.grad);
  const buffers = model.namedBuffers().map(([, b]) => [b, b.data.slice(0, b.size)] as const);
  const training = model.training;
  const generators = stepGenerators(model);
  const live = saveGenerators(generators);
  params.forEach((p) => (p.grad = null));
  const session = new StepSession(model, undefined, true);
  try {
    return withStepWeights(model, rec, () => {
      loadGenerators(generators, rec.generators);
      session.loadBatch(batch);
      session.runForward();
      session.runBackward();
      return fn(session);
    });
  } finally {
    session.reset();
    params.forEach((p, i) => {
      p.grad?.dispose();
      p.grad = grads[i];
    });
    for (const [b, v] of buffers) b.data.set(v);
    model.train(training);
    loadGenerators(generators, live);
    for (const t of Object.values(batch)) t.dispose();
  }
}

/** What a replayed step shows: every edge's activation and gradient, every parameter's value and gradient. */
export interface StepSummaries {
  activations: Record<string, TensorSummary>;
  gradients: Record<string, TensorSummary>;
  parameters: Record<string, { value: TensorSummary; gradient: TensorSummary | null }>;
}

/**
 * The summaries of a step's pass as training made them: an edge's activation and, when the loss
 * reaches it, its gradient (trainStep's edge summaries); each parameter's value before the
 * update (the recorded weights) and its gradient (null when the loss does not reach it).
 */
export function passSummaries(model: GraphModel, pass: StepSession, rec: StepRecord): StepSummaries {
  const out: StepSummaries = { activations: {}, gradients: {}, parameters: {} };
  for (const e of model.graph.edges) {
    const t = pass.activation(e.id);
    if (t === undefined) continue;
    out.activations[e.id] = summarizeTensor(t);
    const g = pass.gradient(e.id);
    if (g !== undefined) out.gradients[e.id] = summarizeTensor(g);
  }
  model.namedParameters().forEach(([name, p], i) => {
    const g = p.grad !== null && !p.grad.isDisposed ? p.grad : null;
    out.parameters[name] = {
      value: summarize(rec.weights[i], p.shape, p.dtype),
      gradient: g === null ? null : summarize(g.data, p.shape, p.dtype),
    };
  });
  return out;
}
