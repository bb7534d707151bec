// The training loop of a session worker: one optimizer step per batch, pause/stop read from
// shared memory between batches, coalesced events, NaN/Inf caught in the step they appear.
import { backward } from '../../engine/autograd/backward';
import { noGrad } from '../../engine/autograd/gradMode';
import type { GraphModel, NodeValues } from '../../engine/graph/runtime/compile';
import { DataLoader } from '../../engine/train/loader';
import { tidy } from '../../engine/tensor/scope';
import type { Tensor } from '../../engine/tensor/tensor';
import type { TensorSummary } from '../../shared/api/tensor';
import type { ProjectData } from './projectData';
import { batchFor, checkDataFits } from './projectData';
import { CTRL_TRAIN, TRAIN_PAUSE, TRAIN_RUN, TRAIN_STOP } from './sessionProtocol';
import type { StepRuntime } from './stepRuntime';
import { summaryOf, firstNonFinite } from './summaries';
import { EDGE_INTERVAL_MS, FLUSH_INTERVAL_MS, RateGate, SeriesBuffer } from './trainingEvents';

export type TrainingState = 'idle' | 'running' | 'paused' | 'stopped' | 'finished' | 'failed';

export interface TrainerSink {
  emit(event: string, payload: unknown): void;
  checkpoint(): void;
}

export interface EpochMetrics {
  loss: number | null;
  accuracy: number | null;
}

/** Thrown inside a step when a value stops being finite; the step's update is not applied. */
class NonFiniteError extends Error {
  constructor(
    message: string,
    readonly nodeId: string | undefined,
  ) {
    super(message);
  }
}

const CHECKPOINT_INTERVAL_MS = 2000;

interface EdgeSummaries {
  activations: Record<string, TensorSummary>;
  gradients: Record<string, TensorSummary>;
}

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
    if (data.split.train.length === 0) throw new Error('The training split is empty; give the train fraction more data.');
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
    this.sink.emit('training.failed', { sessionId: this.sessionId, reason, ...(nodeId !== undefined ? { nodeId } : {}), epoch: this.epoch, step: this.rt.step });
  }

  private async loop(data: ProjectData): Promise<void> {
    const t = this.rt.project.training;
    const model = this.rt.model;
    const loader = new DataLoader(data.dataset, data.split.train, { batchSize: t.batchSize, shuffle: true }, t.seed + this.rt.epoch);
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
        let stepOut: { loss: number; accuracy: number | null; edges: EdgeSummaries | null };
        try {
          stepOut = this.trainStep(batch, this.edgeGate.due(Date.now()));
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
      const train = this.evaluate(data, data.split.train);
      const dev = data.split.dev.length > 0 ? this.evaluate(data, data.split.dev) : null;
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
      train: this.evaluate(data, data.split.train),
      dev: data.split.dev.length > 0 ? this.evaluate(data, data.split.dev) : null,
      test: data.split.test.length > 0 ? this.evaluate(data, data.split.test) : null,
    };
    this.sink.checkpoint();
    this.setState(reason === 'stopped' ? 'stopped' : 'finished');
    this.sink.emit('training.finished', { sessionId: this.sessionId, reason, epoch: this.rt.epoch, step: this.rt.step, ...final });
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
      this.sink.emit('training.epoch', { sessionId: this.sessionId, epoch: this.rt.epoch, epochs: this.epochs, step: this.rt.step, train, dev });
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

  /**
   * One optimizer step. The weights change only when the loss, every gradient and every
   * updated parameter are finite; otherwise they are restored and the first node at fault named.
   */
  private trainStep(batch: Record<string, Tensor>, withEdges: boolean): { loss: number; accuracy: number | null; edges: EdgeSummaries | null } {
    const model = this.rt.model;
    const opt = this.rt.optimizer!;
    return tidy(() => {
      model.train(true);
      opt.zeroGrad();
      const { values, loss } = model.forward(batch);
      if (loss === undefined) throw new NonFiniteError('The graph has no loss node to train.', undefined);
      const lossValue = loss.item();
      if (!Number.isFinite(lossValue)) {
        const at = firstNonFiniteNode(model, values);
        throw new NonFiniteError(`The loss became ${String(lossValue)} at step ${this.rt.step + 1}${at ? `; the first non-finite value appeared in the output of node "${at}"` : ''}. Training stopped; the weights are those of the last completed step. Try a smaller learning rate or standardised inputs.`, at);
      }
      const edgeTensors = withEdges ? retainEdgeGrads(model, values) : null;
      backward(loss);
      const named = model.namedParameters();
      for (let i = model.nodes.length - 1; i >= 0; i--) {
        const id = model.nodes[i].id;
        for (const [name, p] of named) {
          if (!name.startsWith(`${id}.`) || p.grad === null) continue;
          if (firstNonFinite(p.grad.data) >= 0) {
            throw new NonFiniteError(`The gradient of "${name}" became NaN or infinite at step ${this.rt.step + 1}, first in node "${id}". Training stopped; the weights are those of the last completed step.`, id);
          }
        }
      }
      const before = named.map(([, p]) => p.data.slice());
      opt.step();
      for (let k = 0; k < named.length; k++) {
        const [name, p] = named[k];
        if (firstNonFinite(p.data) >= 0) {
          named.forEach(([, q], j) => q.data.set(before[j]));
          const id = name.split('.')[0];
          throw new NonFiniteError(`The parameter "${name}" became NaN or infinite after the update at step ${this.rt.step + 1} (node "${id}"). Training stopped; the weights were restored to the last completed step. Try a smaller learning rate.`, id);
        }
      }
      const accuracy = batchAccuracy(model, values, batch);
      let edges: EdgeSummaries | null = null;
      if (edgeTensors !== null) {
        edges = { activations: {}, gradients: {} };
        for (const [edgeId, t] of edgeTensors) {
          edges.activations[edgeId] = summaryOf(t);
          if (t.grad !== null && !t.grad.isDisposed) edges.gradients[edgeId] = summaryOf(t.grad);
        }
      }
      return { loss: lossValue, accuracy, edges };
    });
  }

  /** Mean loss and accuracy over a split, without gradients, in eval mode. */
  evaluate(data: ProjectData, indices: readonly number[]): { loss: number | null; accuracy: number | null } {
    const model = this.rt.model;
    const chunk = Math.max(1, Math.min(512, this.rt.project.training.batchSize * 4));
    let lossSum = 0;
    let accSum = 0;
    let accN = 0;
    let n = 0;
    let lossOk = true;
    for (let s = 0; s < indices.length; s += chunk) {
      const idx = indices.slice(s, s + chunk);
      const batch = batchFor(model, data.dataset, idx);
      tidy(() =>
        noGrad(() => {
          model.train(false);
          const { values, loss } = model.forward(batch);
          const l = loss?.item();
          if (l === undefined || !Number.isFinite(l)) lossOk = false;
          else lossSum += l * idx.length;
          const a = batchAccuracy(model, values, batch);
          if (a !== null) {
            accSum += a * idx.length;
            accN += idx.length;
          }
        }),
      );
      disposeBatch(batch);
      n += idx.length;
    }
    model.train(true);
    return { loss: lossOk && n > 0 ? lossSum / n : null, accuracy: accN > 0 ? accSum / accN : null };
  }
}

// Atomics.waitAsync is in Node ≥ 16 but typed only from lib ES2024.
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, t: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

function* epochOrder(loader: DataLoader): Generator<number[]> {
  for (const b of loader.epoch()) {
    b.x.dispose();
    b.y.dispose();
    yield b.indices;
  }
}

function disposeBatch(batch: Record<string, Tensor>): void {
  for (const t of Object.values(batch)) if (!t.isDisposed) t.dispose();
}

function firstNonFiniteNode(model: GraphModel, values: NodeValues): string | undefined {
  for (const n of model.nodes) {
    const out = values.get(n.id);
    if (out && Object.values(out).some((t) => firstNonFinite(t.data) >= 0)) return n.id;
  }
  return undefined;
}

function retainEdgeGrads(model: GraphModel, values: NodeValues): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const e of model.graph.edges) {
    const t = values.get(e.source)?.[e.sourcePort];
    if (t === undefined) continue;
    if (t.requiresGrad) t.retainGrad();
    out.set(e.id, t);
  }
  return out;
}

/** Accuracy of the first loss node's input against its target, by label kind; null for regression. */
export function batchAccuracy(model: GraphModel, values: NodeValues, batch: Record<string, Tensor>): number | null {
  const lossNode = model.lossNodes[0];
  if (lossNode === undefined) return null;
  const inEdge = lossNode.inputEdges['input'];
  const tEdge = lossNode.inputEdges['target'];
  if (inEdge === undefined || tEdge === undefined) return null;
  const scores = values.get(inEdge.source)?.[inEdge.sourcePort];
  const target = values.get(tEdge.source)?.[tEdge.sourcePort] ?? batch[tEdge.source];
  const kind = model.node(tEdge.source)?.outputTypes[tEdge.sourcePort]?.kind;
  if (scores === undefined || target === undefined || kind === undefined) return null;
  const y = target.data;
  const s = scores.data;
  const n = y.length;
  if (n === 0) return null;
  let correct = 0;
  if (kind === 'class-labels') {
    const c = s.length / n;
    if (!Number.isInteger(c) || c < 1) return null;
    for (let i = 0; i < n; i++) {
      let arg = 0;
      for (let j = 1; j < c; j++) if (s[i * c + j] > s[i * c + arg]) arg = j;
      if (arg === y[i]) correct++;
    }
  } else if (kind === 'binary-labels' || kind === 'pm1-labels') {
    if (s.length !== n) return null;
    for (let i = 0; i < n; i++) {
      const positive = s[i] > 0;
      if (positive === (y[i] > 0)) correct++;
    }
  } else {
    return null;
  }
  return correct / n;
}
