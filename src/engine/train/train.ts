// The one training loop of the studio: the CLI (`backprop-studio train`) and the app's session
// workers both drive this generator; they differ only in what they do between its events.
import { Adam, AdamW } from '../optim/adam';
import type { Optimizer } from '../optim/optimizer';
import { SGD } from '../optim/sgd';
import { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';
import type { TypedArray } from '../tensor/dtype';
import type { OptimizerSettings, TrainingSettings } from '../graph/schema';
import type { GraphModel } from '../runtime/compile';
import type { SplitMetrics } from './evaluate';
import { evaluate } from './evaluate';
import type { TrainingData } from './trainingData';
import type { EdgeSummaries } from './trainStep';
import { trainStep } from './trainStep';

export interface EpochReport {
  /** Epochs completed (1-based, counting those of earlier runs). */
  readonly epoch: number;
  readonly train: SplitMetrics;
  readonly dev: SplitMetrics | null;
  readonly seconds: number;
}

/** After every optimizer step: the batch's loss per sample and accuracy (training mode). */
export interface BatchEvent<S> {
  readonly type: 'batch';
  /** The epoch in progress, 1-based. */
  readonly epoch: number;
  /** Batches done in this epoch, and its number of batches. */
  readonly batch: number;
  readonly batches: number;
  /** Optimizer steps done, counting those of earlier runs. */
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number | null;
  /** The batch's examples (indices into the data set). */
  readonly indices: readonly number[];
  /** Every edge's activation and gradient, when the caller asked for them at this step. */
  readonly edges: EdgeSummaries<S> | null;
}

/** After every epoch: loss and accuracy on train and dev in evaluation mode. */
export interface EpochEvent {
  readonly type: 'epoch';
  readonly step: number;
  readonly report: EpochReport;
}

export type TrainEvent<S> = BatchEvent<S> | EpochEvent;

export type StopReason = 'completed' | 'stopped' | 'early-stopping' | 'failed';

export interface TrainSummary {
  /** Epochs completed, counting those of earlier runs. */
  readonly epochs: number;
  readonly steps: number;
  readonly reason: StopReason;
  readonly stoppedEarly: boolean;
  readonly train: SplitMetrics | null;
  readonly dev: SplitMetrics | null;
  readonly test: SplitMetrics | null;
  readonly seconds: number;
  /**
   * With early stopping: the epoch of the lowest dev loss, whose weights the model holds at the
   * end of a completed or early-stopped run (null without early stopping or a dev split).
   */
  readonly bestEpoch: number | null;
  /** Set when training failed (NaN or Inf), naming the node where it appeared. */
  readonly error?: string;
  readonly nodeId?: string;
}

export interface TrainOptions<S> {
  /** Epochs to run (default: the settings'). */
  readonly epochs?: number;
  /** Epochs and steps of earlier runs on these weights: numbering, and the shuffling's seed. */
  readonly startEpoch?: number;
  readonly startStep?: number;
  /** The optimizer to step (keeping its state across runs); default: a new one from the settings. */
  readonly optimizer?: Optimizer;
  /** Asked before every batch; true ends the run (after the final evaluation) with reason 'stopped'. */
  readonly shouldStop?: () => boolean;
  /** Edge summaries: asked before every step whether they are due, and how to summarise a tensor. */
  readonly edges?: { due(): boolean; summarize(t: Tensor): S };
  /**
   * Asked before every step: the parameters' values as the step begins, when the caller copied
   * them aside already (the app's time-travel recorder), so the NaN/Inf guard restores from that
   * copy instead of making its own (trainStep's `before`); null when there is none.
   */
  readonly weightsBefore?: () => readonly TypedArray[] | null;
}

/** The optimizer a project's settings describe, over the model's parameters. */
export function createOptimizer(s: OptimizerSettings, params: readonly Tensor[]): Optimizer {
  if (s.type === 'sgd')
    return new SGD(params, { lr: s.lr, momentum: s.momentum, nesterov: s.nesterov, weightDecay: s.weightDecay });
  const opts = { lr: s.lr, betas: [s.beta1, s.beta2] as [number, number], eps: s.eps, weightDecay: s.weightDecay };
  return s.type === 'adam' ? new Adam(params, opts) : new AdamW(params, opts);
}

/**
 * Trains a compiled graph: shuffled mini-batches of the training split, the project's optimizer,
 * an event per batch and per epoch (loss and accuracy on train and dev), early stopping on the
 * dev loss, and a stop naming the node where NaN or Inf first appeared. Each `next()` runs at
 * most one optimizer step, so a caller can pause between batches simply by not calling it.
 * Returns the final metrics on train, dev and test.
 *
 * @example
 * const run = trainGraph(model, data, settings);
 * for (let r = run.next(); !r.done; r = run.next()) if (r.value.type === 'epoch') console.log(r.value.report.train.loss);
 */
export function* trainGraph<S = never>(
  model: GraphModel,
  data: TrainingData,
  settings: TrainingSettings,
  opts: TrainOptions<S> = {},
): Generator<TrainEvent<S>, TrainSummary> {
  const started = Date.now();
  const startEpoch = opts.startEpoch ?? 0;
  const lastEpoch = startEpoch + (opts.epochs ?? settings.epochs);
  const optimizer = opts.optimizer ?? createOptimizer(settings.optimizer, model.parameters());
  // NOTE: one generator for the whole run, seeded with the seed plus the epochs already done: the
  // same seed gives the same batches everywhere, and a continued run does not replay the first.
  const shuffle = new Rng(settings.seed + startEpoch);
  const bs = settings.batchSize;
  const batches = Math.ceil(data.split.train.length / bs);
  let step = opts.startStep ?? 0;
  let done = startEpoch;
  let reason: StopReason = 'completed';
  let failure: { error: string; nodeId?: string } | undefined;
  let best = Infinity;
  let sinceBest = 0;
  const params = model.parameters();
  let bestWeights: { epoch: number; values: ReturnType<Tensor['data']['slice']>[] } | null = null;
  if (batches === 0) {
    reason = 'failed';
    failure = { error: 'the training split is empty; give the train fraction more data' };
  }
  outer: for (let epoch = startEpoch + 1; epoch <= lastEpoch && !failure; epoch++) {
    const t0 = Date.now();
    const order = [...data.split.train];
    shuffle.shuffle(order);
    for (let b = 0; b < batches; b++) {
      if (opts.shouldStop?.()) {
        reason = 'stopped';
        break outer;
      }
      const summarize = opts.edges?.due() ? opts.edges.summarize : undefined;
      const indices = order.slice(b * bs, (b + 1) * bs);
      const r = trainStep(model, data, optimizer, indices, summarize, opts.weightsBefore?.());
      if (!r.ok) {
        reason = 'failed';
        failure = {
          error: `training stopped at epoch ${epoch}: ${r.message}`,
          ...(r.nodeId !== undefined ? { nodeId: r.nodeId } : {}),
        };
        break outer;
      }
      step++;
      yield {
        type: 'batch',
        epoch,
        batch: b + 1,
        batches,
        step,
        loss: r.loss,
        accuracy: r.accuracy,
        indices,
        edges: r.edges,
      };
    }
    done = epoch;
    const train = evaluate(model, data, data.split.train)!;
    const dev = evaluate(model, data, data.split.dev);
    yield { type: 'epoch', step, report: { epoch, train, dev, seconds: (Date.now() - t0) / 1000 } };
    if (settings.earlyStopping.enabled && dev) {
      if (dev.loss < best - 1e-12) {
        best = dev.loss;
        sinceBest = 0;
        bestWeights = { epoch, values: params.map((p) => p.data.slice(0, p.size)) };
      } else if (++sinceBest >= settings.earlyStopping.patience) {
        reason = 'early-stopping';
        break;
      }
    }
  }
  // NOTE: early stopping hands back the best epoch's weights (as Keras' restore_best_weights), not
  // the last ones, which are `patience` epochs past the best and worse on dev by definition.
  const restore = (reason === 'early-stopping' || reason === 'completed') && bestWeights !== null;
  if (restore && bestWeights!.epoch !== done) params.forEach((p, i) => p.data.set(bestWeights!.values[i]));
  return {
    epochs: done,
    steps: step,
    bestEpoch: bestWeights?.epoch ?? null,
    reason,
    stoppedEarly: reason === 'early-stopping',
    train: evaluate(model, data, data.split.train),
    dev: evaluate(model, data, data.split.dev),
    test: evaluate(model, data, data.split.test),
    seconds: (Date.now() - started) / 1000,
    ...failure,
  };
}
