import { z } from 'zod';
import { method } from './method';
import { sessionIdSchema, sessionMethods, sessionStateSchema } from './session';
import { tensorSummarySchema } from './tensor';
import { tapeExportSchema } from './tape';
import { unrolledViewSchema } from './unrolled';

const sid = z.object({ sessionId: sessionIdSchema }).strict();

export const trainingStateSchema = z.enum(['idle', 'running', 'paused', 'stopped', 'finished', 'failed']);

/** One point of a curve: loss and accuracy (null for regression or when not finite). */
export const seriesPointSchema = z.object({
  step: z.number().int(),
  epoch: z.number().int(),
  loss: z.number().nullable(),
  accuracy: z.number().nullable(),
});
export const MAX_SERIES_POINTS = 1000;
const series = z.array(seriesPointSchema).max(MAX_SERIES_POINTS);
const splitMetrics = z.object({ loss: z.number().nullable(), accuracy: z.number().nullable() });

/** One recorded training step as the time-travel scrubber lists it. */
const recordedStepSchema = z.object({
  step: z.number().int(),
  /** The epoch in progress (1-based) and the batches done in it. */
  epoch: z.number().int(),
  batch: z.number().int(),
  loss: z.number().nullable(),
  accuracy: z.number().nullable(),
});
/** The most steps a session records (the recorder's cap; its byte budget usually binds first). */
export const MAX_RECORDED_STEPS = 4096;
const stepOf = z.object({ sessionId: sessionIdSchema, step: z.number().int().min(1) });

export const trainingMethods = {
  /** Trains the session's model on its project's data set and settings, in the session's worker. */
  'training.start': method(
    z
      .object({
        sessionId: sessionIdSchema,
        epochs: z.number().int().min(1).max(1_000_000).optional(),
        /**
         * New training settings (the project file's `training` object) for this and later runs;
         * the weights are kept. Checked by the engine's schema in the session worker.
         */
        training: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    z.object({ state: trainingStateSchema }),
  ),
  /** Acknowledged at once; takes effect before the next batch (`training.state` says when). */
  'training.pause': method(sid, z.object({ acknowledged: z.literal(true) })),
  'training.resume': method(sid, z.object({ acknowledged: z.literal(true) })),
  'training.stop': method(sid, z.object({ acknowledged: z.literal(true) })),
  /** The whole picture, for a client that (re)connects: state, progress, curves (≤ 1,000 points each). */
  'training.status': method(
    sid,
    z.object({
      state: trainingStateSchema,
      /** Epochs completed. */
      epoch: z.number().int(),
      epochs: z.number().int(),
      batch: z.number().int(),
      batches: z.number().int(),
      step: z.number().int(),
      batchSeries: series,
      trainSeries: series,
      devSeries: series,
    }),
  ),
  /**
   * Time travel: the training steps the session recorded (the last N, N set by a byte budget and
   * the network's size), oldest first. `note` says why none are recorded when a step is too large.
   */
  'training.history': method(
    sid,
    z.object({
      steps: z.array(recordedStepSchema).max(MAX_RECORDED_STEPS),
      capacity: z.number().int().nullable(),
      bytes: z.number().int(),
      budgetBytes: z.number().int(),
      note: z.string().nullable(),
    }),
  ),
  /**
   * One recorded step as training showed it: every edge's activation and gradient summary, every
   * parameter's value and gradient (the step panel's gradient bars), and
   * (when asked) the decision boundary or fitted curve of the weights the step computed with, and
   * the unrolled view of a recurrent node at that step (session.unrolled's answer after that
   * step's pass) and the op-level tape of that pass (session.tape's). The summaries come from the step's forward and backward pass run again at its
   * weights on its batch in training mode, its Dropout nodes drawing the masks they drew then.
   */
  'training.replay': method(
    stepOf
      .extend({
        boundary: z
          .object({ resolution: z.number().int().min(2).max(256) })
          .strict()
          .optional(),
        curve: z
          .object({ resolution: z.number().int().min(2).max(1024) })
          .strict()
          .optional(),
        unrolled: z
          .object({
            nodeId: z.string().min(1).max(200),
            layer: z.number().int().min(0).max(64).optional(),
            direction: z.number().int().min(0).max(1).optional(),
          })
          .strict()
          .optional(),
        /** The tape of that step's pass (session.tape's answer after it): one node's ops, or the whole network's. */
        tape: z
          .object({
            nodeId: z.string().min(1).max(200).optional(),
            maxOps: z.number().int().min(1).max(2000).optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    recordedStepSchema.extend({
      activations: z.record(z.string(), tensorSummarySchema),
      gradients: z.record(z.string(), tensorSummarySchema),
      /** Each parameter's value (the weights the step computed with) and the step's gradient of it. */
      parameters: z.record(
        z.string(),
        z.object({ value: tensorSummarySchema, gradient: tensorSummarySchema.nullable() }),
      ),
      boundary: sessionMethods['session.decisionBoundary'].response.nullable(),
      curve: sessionMethods['session.fittedCurve'].response.nullable(),
      unrolled: unrolledViewSchema.nullable(),
      tape: tapeExportSchema.nullable(),
    }),
  ),
  /**
   * "Step from here": the session takes the weights a recorded step computed with and loads its
   * batch (training split, by position), its Dropout nodes' generators where they stood (the next
   * forward pass draws the step's masks), with fresh optimizer state; the steps recorded from that
   * one on are forgotten (training from here makes another future). Refused while a run is active.
   */
  'training.stepFrom': method(
    stepOf.strict(),
    sessionStateSchema.extend({
      size: z.number().int(),
      split: z.literal('train'),
      indices: z.array(z.number().int().nonnegative()),
    }),
  ),
};

export const trainingEvents = {
  'training.state': z.object({
    sessionId: z.string(),
    state: trainingStateSchema,
    epoch: z.number().int(),
    step: z.number().int(),
  }),
  /** At most ~10 a second. `epoch` is the epoch in progress (1-based), `batch` the batches done in it. */
  'training.progress': z.object({
    sessionId: z.string(),
    epoch: z.number().int(),
    epochs: z.number().int(),
    batch: z.number().int(),
    batches: z.number().int(),
    step: z.number().int(),
    elapsedMs: z.number(),
    etaMs: z.number().nullable(),
  }),
  /** Per-batch points since the last event; `reset` means replace the curve (it was thinned to stay ≤ 1,000 points). */
  'training.metrics': z.object({ sessionId: z.string(), points: series, reset: z.boolean() }),
  /**
   * Per-epoch loss and accuracy on train and dev since the last event (coalesced like the batch
   * metrics: small sets finish hundreds of epochs a second); `epoch` is the epochs completed.
   */
  'training.epoch': z.object({
    sessionId: z.string(),
    epoch: z.number().int(),
    epochs: z.number().int(),
    step: z.number().int(),
    train: z.object({ points: series, reset: z.boolean() }).nullable(),
    dev: z.object({ points: series, reset: z.boolean() }).nullable(),
  }),
  /** Edge activations and gradients of the current batch, at most ~10 a second. */
  'training.edges': z.object({
    sessionId: z.string(),
    step: z.number().int(),
    activations: z.record(z.string(), tensorSummarySchema),
    gradients: z.record(z.string(), tensorSummarySchema),
  }),
  'training.finished': z.object({
    sessionId: z.string(),
    reason: z.enum(['completed', 'stopped', 'early-stopping']),
    epoch: z.number().int(),
    step: z.number().int(),
    train: splitMetrics,
    dev: splitMetrics.nullable(),
    test: splitMetrics.nullable(),
  }),
  /** Training stopped on an error; `nodeId` names the node where a NaN/Inf first appeared. */
  'training.failed': z.object({
    sessionId: z.string(),
    reason: z.string(),
    nodeId: z.string().optional(),
    epoch: z.number().int(),
    step: z.number().int(),
  }),
};
