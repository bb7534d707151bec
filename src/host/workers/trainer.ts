// A session worker's side of training: it drives the engine's training loop (the one the CLI
// runs, src/engine/train/train.ts) and adds what belongs to the host: pause/resume/stop
// read from shared memory between batches, coalesced and rate-limited events, edge summaries,
// checkpoints, and letting the worker answer calls between batches.
import type { Response } from '../../shared/api/contract';
import type { SplitMetrics } from '../../engine/train/evaluate';
import type { TrainEvent, TrainSummary } from '../../engine/train/train';
import { trainGraph } from '../../engine/train/train';
import type { TrainingData } from '../../engine/train/trainingData';
import { bindTraining } from '../../engine/train/trainingData';
import type { ProjectData } from './projectData';
import { asSentence, checkDataFits } from './projectData';
import { CTRL_TRAIN, TRAIN_PAUSE, TRAIN_RUN, TRAIN_STOP } from './sessionProtocol';
import type { StepRuntime } from './stepRuntime';
import { EDGE_INTERVAL_MS, FLUSH_INTERVAL_MS, RateGate, SeriesBuffer } from './trainingEvents';
import { stepGenerators, TrainingRecorder } from './trainingRecorder';
import { summarizeTensor } from '../../engine/runtime/tensorSummary';
import type { TensorSummary } from '../../shared/api/tensor';

export type TrainingState = 'idle' | 'running' | 'paused' | 'stopped' | 'finished' | 'failed';

export interface TrainerSink {
  /** Sends events in order, in one message to the host (each message wakes the host's thread). */
  emit(events: readonly TrainerEvent[]): void;
  checkpoint(): void;
}

export interface TrainerEvent {
  event: string;
  payload: unknown;
}

const CHECKPOINT_INTERVAL_MS = 2000;
/**
 * The loop lets the worker's event loop run (calls: status, summaries, predictions) at most this
 * often, not after every batch: a turn of the event loop also runs the work V8 deferred to it,
 * which cost the digits MLP about 7% of its time when taken after each of its ~1 ms batches.
 * Pause and stop do not wait for it (shared memory, read before every batch).
 */
const YIELD_INTERVAL_MS = 10;

export class Trainer {
  state: TrainingState = 'idle';
  readonly batchSeries = new SeriesBuffer();
  readonly epochSeries = { train: new SeriesBuffer(), dev: new SeriesBuffer() };
  epoch = 0;
  batchIndex = 0;
  batches = 0;
  epochs = 0;
  private startedAt = 0;
  private lastCheckpoint = 0;
  private readonly flushGate = new RateGate(FLUSH_INTERVAL_MS);
  private readonly edgeGate = new RateGate(EDGE_INTERVAL_MS);
  /** The loop asked for the running step's edge tensors (the gates were open when it began): its end flushes. */
  private edgesAsked = false;
  /** Events waiting for the next flush: sent together, so a run posts a few messages a second. */
  private outbox: TrainerEvent[] = [];
  private running: Promise<void> | null = null;
  /** Time travel: the last steps of every run of this session (trainingRecorder.ts). */
  readonly recorder: TrainingRecorder;
  /** Batches done in this run, and the run's total, for progress and the time left. */
  private done = 0;
  private total = 0;

  constructor(
    private readonly sessionId: string,
    private readonly rt: StepRuntime,
    private readonly data: () => ProjectData,
    private readonly control: Int32Array,
    private readonly sink: TrainerSink,
    recorder?: TrainingRecorder,
    /**
     * The clock the rate limits, checkpoints, yields and progress times read (milliseconds).
     * Date.now in the worker; trainer.test.ts gives a clock that advances per training step, so a
     * run's flushes fall on known steps whatever the machine's speed.
     */
    private readonly now: () => number = Date.now,
  ) {
    this.recorder = recorder ?? new TrainingRecorder(undefined, undefined, { now });
  }

  get active(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }

  /** Starts the loop in the background for `epochs` more epochs (default: the settings'); returns once it runs. */
  start(opts: { epochs?: number }): void {
    if (this.active) throw new Error('Training is already running; pause or stop it first.');
    const project = this.data();
    checkDataFits(this.rt.model, project.dataset);
    const data = bindTraining(this.rt.model, project);
    if (typeof data === 'string') throw new Error(asSentence(data));
    if (this.rt.optimizer === undefined) throw new Error('The graph has no parameters to train.');
    if (data.split.train.length === 0)
      throw new Error('The training split is empty; give the train fraction more data.');
    Atomics.store(this.control, CTRL_TRAIN, TRAIN_RUN);
    this.rt.reset();
    this.epochs = this.rt.epoch + (opts.epochs ?? this.rt.project.training.epochs);
    this.setState('running');
    this.running = this.loop(data).catch((err: unknown) => this.fail((err as Error).message, undefined));
  }

  /** Resolves when the current run has ended (tests, shutdown). */
  async settled(): Promise<void> {
    await this.running;
  }

  status(): Response<'training.status'> {
    return {
      state: this.state,
      epoch: this.rt.epoch,
      epochs: this.epochs,
      batch: this.batchIndex,
      batches: this.batches,
      step: this.rt.step,
      batchSeries: this.batchSeries.points,
      trainSeries: this.epochSeries.train.points,
      devSeries: this.epochSeries.dev.points,
    };
  }

  private setState(state: TrainingState): void {
    this.state = state;
    this.queue('training.state', { sessionId: this.sessionId, state, epoch: this.epoch, step: this.rt.step });
    this.send();
  }

  private queue(event: string, payload: unknown): void {
    this.outbox.push({ event, payload });
  }

  /** Posts the queued events, in order, as one message. */
  private send(): void {
    if (this.outbox.length === 0) return;
    const events = this.outbox;
    this.outbox = [];
    this.sink.emit(events);
  }

  private fail(reason: string, nodeId: string | undefined): void {
    this.flush(true);
    this.setState('failed');
    this.sink.checkpoint();
    this.queue('training.failed', {
      sessionId: this.sessionId,
      reason,
      ...(nodeId !== undefined ? { nodeId } : {}),
      epoch: this.epoch,
      step: this.rt.step,
    });
    this.send();
  }

  private async loop(data: TrainingData): Promise<void> {
    const firstEpoch = this.rt.epoch;
    const t = this.rt.project.training;
    this.batches = Math.ceil(data.split.train.length / t.batchSize);
    this.startedAt = this.now();
    this.lastCheckpoint = this.startedAt;
    this.done = 0;
    this.total = Math.max(1, (this.epochs - firstEpoch) * this.batches);
    this.epoch = firstEpoch;
    this.batchIndex = 0;
    let stop = false;
    let lastYield = 0;
    const run = trainGraph<TensorSummary>(this.rt.model, data, t, {
      epochs: this.epochs - firstEpoch,
      startEpoch: firstEpoch,
      startStep: this.rt.step,
      optimizer: this.rt.optimizer,
      shouldStop: () => stop,
      // Edge summaries only on a batch whose events are flushed, so they travel in the same
      // message. The recorder needs none: replay runs a recorded step again (stepReplay.ts).
      edges: {
        due: () => {
          const now = this.now();
          this.edgesAsked = this.flushGate.due(now) && this.edgeGate.due(now);
          return this.edgesAsked;
        },
        summarize: summarizeTensor,
      },
      // The recorder copied the step's weights aside in `begin`: the NaN/Inf guard restores from them.
      weightsBefore: () => this.recorder.weightsBefore(),
    });
    const params = this.rt.model.parameters();
    const generators = stepGenerators(this.rt.model);
    let r: IteratorResult<TrainEvent<TensorSummary>, TrainSummary>;
    // A run starts at a keyframe of its own (its optimizer and data may be new, the weights edited).
    this.recorder.breakChain();
    for (;;) {
      // Between batches: a pause sleeps here (still answering calls); a stop ends the run at the next batch.
      // Read synchronously: while running, a step calls and awaits nothing here (an await per step
      // was a promise, a turn of the microtask queue and a resumed async frame for every batch).
      const cmd = Atomics.load(this.control, CTRL_TRAIN);
      if (cmd === TRAIN_PAUSE) this.recorder.breakChain();
      if (cmd === TRAIN_STOP || (cmd === TRAIN_PAUSE && (await this.waitWhilePaused()) === TRAIN_STOP)) stop = true;
      // What the next step cannot recompute, for the recorder: its generators' states, and at a
      // keyframe the weights it computes with and the optimizer's state; its batch and numbers at its end.
      this.recorder.begin(params, generators, this.rt.optimizer ?? null);
      r = run.next();
      if (r.done) {
        this.recorder.abandon();
        break;
      }
      const ev = r.value;
      if (ev.type === 'batch') this.recorder.end(ev, data.dataset, data);
      else this.recorder.abandon();
      const now = this.onEvent(ev);
      // Let calls (status, summaries) in between batches, every YIELD_INTERVAL_MS at most.
      if (ev.type === 'batch' && now - lastYield >= YIELD_INTERVAL_MS) {
        await new Promise((res) => setImmediate(res));
        lastYield = this.now();
      }
    }
    const summary = r.value;
    this.flush(true);
    if (summary.reason === 'failed') {
      this.fail(
        `${asSentence(summary.error ?? 'training failed')} The weights are those of the last completed step.`,
        summary.nodeId,
      );
      return;
    }
    this.sink.checkpoint();
    this.setState(summary.reason === 'stopped' ? 'stopped' : 'finished');
    this.queue('training.finished', {
      sessionId: this.sessionId,
      reason: summary.reason,
      epoch: this.rt.epoch,
      step: this.rt.step,
      train: summary.train ? metrics(summary.train) : { loss: null, accuracy: null },
      dev: summary.dev ? metrics(summary.dev) : null,
      test: summary.test ? metrics(summary.test) : null,
    });
    this.send();
  }

  /** Takes in a step's or an epoch's event; returns the clock's time it read. */
  private onEvent(ev: TrainEvent<TensorSummary>): number {
    this.rt.step = ev.step;
    const now = this.now();
    if (ev.type === 'batch') {
      this.epoch = ev.epoch - 1;
      this.batchIndex = ev.batch;
      this.done++;
      this.batchSeries.push({ step: ev.step, epoch: this.epoch, loss: finite(ev.loss), accuracy: ev.accuracy });
      if (ev.edges !== null) {
        this.edgeGate.mark(now);
        this.queue('training.edges', {
          sessionId: this.sessionId,
          step: ev.step,
          activations: ev.edges.activations,
          gradients: ev.edges.gradients,
        });
      }
    } else {
      const { epoch, train, dev } = ev.report;
      this.rt.epoch = epoch;
      this.epochSeries.train.push({ step: ev.step, epoch, ...metrics(train) });
      if (dev) this.epochSeries.dev.push({ step: ev.step, epoch, ...metrics(dev) });
    }
    if (ev.type === 'batch') {
      // A batch flushes when its edges were asked for, so they travel with its events. Flushing at
      // the end of a batch that began before the gate opened would close the gate before the next
      // batch is asked, and no edge summaries would be sent after the first batch.
      const asked = this.edgesAsked;
      this.edgesAsked = false;
      if (asked) this.flush(true);
    } else {
      // Small data sets finish hundreds of epochs a second: epoch points are coalesced too.
      this.flush(false);
    }
    this.maybeCheckpoint(now);
    return now;
  }

  /** Returns the command to act on; while paused, sleeps on the shared control word (the loop calls it only then). */
  private async waitWhilePaused(): Promise<number> {
    let cmd = Atomics.load(this.control, CTRL_TRAIN);
    if (cmd !== TRAIN_PAUSE) return cmd;
    this.flush(true);
    this.sink.checkpoint();
    this.setState('paused');
    while (cmd === TRAIN_PAUSE) {
      const w = waitAsync(this.control, CTRL_TRAIN, TRAIN_PAUSE, 1000);
      if (w.async) await w.value;
      cmd = Atomics.load(this.control, CTRL_TRAIN);
    }
    if (cmd === TRAIN_RUN) this.setState('running');
    return cmd;
  }

  private maybeCheckpoint(now: number): void {
    if (now - this.lastCheckpoint < CHECKPOINT_INTERVAL_MS) return;
    this.lastCheckpoint = now;
    this.sink.checkpoint();
  }

  /** Sends what changed since the last flush: at most once per FLUSH_INTERVAL_MS unless forced. */
  private flush(force: boolean): void {
    const now = this.now();
    if (!force && !this.flushGate.due(now)) return;
    // Edge summaries (queued by this batch) go with the series and progress below.
    this.flushGate.mark(now);
    const series = this.batchSeries.take();
    if (series) this.queue('training.metrics', { sessionId: this.sessionId, ...series });
    const train = this.epochSeries.train.take();
    const dev = this.epochSeries.dev.take();
    if (train || dev) {
      this.queue('training.epoch', {
        sessionId: this.sessionId,
        epoch: this.rt.epoch,
        epochs: this.epochs,
        step: this.rt.step,
        train,
        dev,
      });
    }
    const done = this.done;
    const total = this.total;
    if (total > 0) {
      const elapsedMs = now - this.startedAt;
      this.queue('training.progress', {
        sessionId: this.sessionId,
        epoch: this.epoch + 1,
        epochs: this.epochs,
        batch: this.batchIndex,
        batches: this.batches,
        step: this.rt.step,
        elapsedMs,
        etaMs: done > 0 ? Math.round((elapsedMs / done) * (total - done)) : null,
      });
    }
    this.send();
  }
}

// Atomics.waitAsync is in Node ≥ 16 but typed only from lib ES2024.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, i: number, v: number, t: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The API's split metrics: a non-finite loss is sent as null (JSON has no NaN). */
function metrics(m: SplitMetrics): { loss: number | null; accuracy: number | null } {
  return { loss: finite(m.loss), accuracy: m.accuracy };
}
