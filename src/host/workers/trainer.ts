// The training loop of a session worker: one optimizer step per batch, pause/stop read from
// shared memory between batches, coalesced events, NaN/Inf caught in the step they appear.
import { DataLoader } from '../../engine/train/loader';
import type { ProjectData } from './projectData';
import { batchFor, checkDataFits } from './projectData';
import { CTRL_TRAIN, TRAIN_PAUSE, TRAIN_RUN, TRAIN_STOP } from './sessionProtocol';
import type { StepRuntime } from './stepRuntime';
import { EDGE_INTERVAL_MS, FLUSH_INTERVAL_MS, RateGate, SeriesBuffer } from './trainingEvents';
import { NonFiniteError, disposeBatch, evaluateSplit, trainStep, type StepOutcome } from './trainingStep';

export type TrainingState = 'idle' | 'running' | 'paused' | 'stopped' | 'finished' | 'failed';

export interface TrainerSink {
  emit(event: string, payload: unknown): void;
  checkpoint(): void;
}

const CHECKPOINT_INTERVAL_MS = 2000;

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
  private running: Promise<void> | null = null;
  /** Batches done in this run, and the run's total, for progress and the time left. */
  private done = 0;
  private total = 0;

  constructor(
    private readonly sessionId: string,
    private readonly rt: StepRuntime,
    private readonly data: () => ProjectData,
    private readonly control: Int32Array,
    private readonly sink: TrainerSink,
  ) {}

  get active(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }

  /** Starts the loop in the background for `epochs` more epochs (default: the settings'); returns once it runs. */
  start(opts: { epochs?: number }): void {
    if (this.active) throw new Error('Training is already running; pause or stop it first.');
    const data = this.data();
    checkDataFits(this.rt.model, data.dataset);
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

  status(): Record<string, unknown> {
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
    this.sink.emit('training.state', { sessionId: this.sessionId, state, epoch: this.epoch, step: this.rt.step });
  }

  private fail(reason: string, nodeId: string | undefined): void {
    this.flush(true);
    this.setState('failed');
    this.sink.checkpoint();
    this.sink.emit('training.failed', {
      sessionId: this.sessionId,
      reason,
      ...(nodeId !== undefined ? { nodeId } : {}),
      epoch: this.epoch,
      step: this.rt.step,
    });
  }

  private async loop(data: ProjectData): Promise<void> {
    const t = this.rt.project.training;
    const model = this.rt.model;
    const loader = new DataLoader(
      data.dataset,
      data.split.train,
      { batchSize: t.batchSize, shuffle: true },
      t.seed + this.rt.epoch,
    );
    this.batches = loader.length;
    this.startedAt = Date.now();
    this.lastCheckpoint = this.startedAt;
    let best = Infinity;
    let sinceBest = 0;
    const firstEpoch = this.rt.epoch;
    this.done = 0;
    this.total = Math.max(1, (this.epochs - firstEpoch) * this.batches);
    let reason: 'completed' | 'stopped' | 'early-stopping' = 'completed';
    outer: for (let epoch = firstEpoch; epoch < this.epochs; epoch++) {
      this.epoch = epoch;
      this.batchIndex = 0;
      for (const idx of epochOrder(loader)) {
        const cmd = await this.waitWhilePaused();
        if (cmd === TRAIN_STOP) {
          reason = 'stopped';
          break outer;
        }
        const batch = batchFor(model, data.dataset, idx);
        let stepOut: StepOutcome;
        try {
          stepOut = trainStep(this.rt, batch, this.edgeGate.due(Date.now()));
        } catch (err) {
          disposeBatch(batch);
          if (err instanceof NonFiniteError) {
            this.fail(err.message, err.nodeId);
            return;
          }
          throw err;
        }
        disposeBatch(batch);
        this.rt.step++;
        this.batchIndex++;
        this.done++;
        this.batchSeries.push({ step: this.rt.step, epoch, loss: stepOut.loss, accuracy: stepOut.accuracy });
        const now = Date.now();
        if (stepOut.edges !== null) {
          this.edgeGate.mark(now);
          this.sink.emit('training.edges', { sessionId: this.sessionId, step: this.rt.step, ...stepOut.edges });
        }
        this.flush(false);
        this.maybeCheckpoint(now);
        // Let commands (status, summaries) in between batches.
        await new Promise((r) => setImmediate(r));
      }
      this.rt.epoch = epoch + 1;
      const train = evaluateSplit(this.rt, data, data.split.train);
      const dev = data.split.dev.length > 0 ? evaluateSplit(this.rt, data, data.split.dev) : null;
      this.epochSeries.train.push({ step: this.rt.step, epoch: epoch + 1, ...train });
      if (dev) this.epochSeries.dev.push({ step: this.rt.step, epoch: epoch + 1, ...dev });
      // Small data sets finish hundreds of epochs a second: epoch points are coalesced too.
      this.flush(false);
      this.maybeCheckpoint(Date.now());
      if (t.earlyStopping.enabled && dev?.loss != null) {
        if (dev.loss < best - 1e-12) {
          best = dev.loss;
          sinceBest = 0;
        } else if (++sinceBest >= t.earlyStopping.patience) {
          reason = 'early-stopping';
          break;
        }
      }
    }
    this.flush(true);
    const final = {
      train: evaluateSplit(this.rt, data, data.split.train),
      dev: data.split.dev.length > 0 ? evaluateSplit(this.rt, data, data.split.dev) : null,
      test: data.split.test.length > 0 ? evaluateSplit(this.rt, data, data.split.test) : null,
    };
    this.sink.checkpoint();
    this.setState(reason === 'stopped' ? 'stopped' : 'finished');
    this.sink.emit('training.finished', {
      sessionId: this.sessionId,
      reason,
      epoch: this.rt.epoch,
      step: this.rt.step,
      ...final,
    });
  }

  /** Returns the command to act on; while paused, sleeps on the shared control word. */
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
    const now = Date.now();
    if (!force && !this.flushGate.due(now)) return;
    this.flushGate.mark(now);
    const series = this.batchSeries.take();
    if (series) this.sink.emit('training.metrics', { sessionId: this.sessionId, ...series });
    const train = this.epochSeries.train.take();
    const dev = this.epochSeries.dev.take();
    if (train || dev) {
      this.sink.emit('training.epoch', {
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
      this.sink.emit('training.progress', {
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
  }
}

// Atomics.waitAsync is in Node ≥ 16 but typed only from lib ES2024.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, i: number, v: number, t: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

function* epochOrder(loader: DataLoader): Generator<number[]> {
  for (const b of loader.epoch()) {
    b.x.dispose();
    b.y.dispose();
    yield b.indices;
  }
}
