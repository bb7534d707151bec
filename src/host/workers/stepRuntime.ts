// The step session of one worker: compiles the project's graph, steps it node by node, applies
// the optimizer, and answers the inspector (summaries, full tensors, gradient checks).
import { noGrad } from '../../engine/autograd/gradMode';
import { compileGraph, dumpWeights, totalLoss } from '../../engine/graph/runtime/compile';
import type { GraphModel, NodeValues } from '../../engine/graph/runtime/compile';
import { batchFromJson } from '../../engine/graph/runtime/batch';
import { StepSession } from '../../engine/graph/runtime/stepSession';
import type { StepReport } from '../../engine/graph/runtime/stepSession';
import type { OptimizerSettings, Project, TrainingSettings } from '../../engine/graph/schema';
import { SGD } from '../../engine/optim/sgd';
import { Adam, AdamW } from '../../engine/optim/adam';
import type { Optimizer } from '../../engine/optim/optimizer';
import { fromTypedArray, tensor } from '../../engine/tensor/create';
import type { Tensor } from '../../engine/tensor/tensor';
import type { FullTensor, TensorSummary } from '../../shared/api/tensor';
import type { StepReportPayload, TensorRef } from '../../shared/api/session';
import type { Checkpoint } from './sessionProtocol';
import { fullOf, fullOfData, summaryOf, summaryOfData } from './summaries';
import { SessionError } from './workerErrors';

export function makeOptimizer(params: readonly Tensor[], s: OptimizerSettings): Optimizer | undefined {
  if (params.length === 0) return undefined;
  if (s.type === 'sgd') return new SGD(params, { lr: s.lr, momentum: s.momentum, nesterov: s.nesterov, weightDecay: s.weightDecay });
  const opts = { lr: s.lr, betas: [s.beta1, s.beta2] as [number, number], eps: s.eps, weightDecay: s.weightDecay };
  return s.type === 'adam' ? new Adam(params, opts) : new AdamW(params, opts);
}

/** Compiles a project (with the given weights, else its own, else a seeded initialisation). */
export function compileProject(project: Project, weights: Project['weights'] | undefined, dtype: 'float32' | 'float64' = 'float32'): GraphModel {
  const w = weights ?? project.weights;
  const r = compileGraph(project.graph, { seed: project.training.seed, dtype, ...(w !== undefined ? { weights: w } : {}) });
  if (!r.ok) {
    const first = r.issues[0];
    throw new SessionError('invalid-request', `The graph cannot run: ${first?.message ?? 'it has errors'}`, first?.nodeId);
  }
  return r.model;
}

export interface SessionState {
  phase: 'empty' | 'ready' | 'forward' | 'forwarded' | 'backward' | 'backwarded' | 'updated';
  currentNode: string | null;
  loss: number | null;
  step: number;
}

function reportPayload(r: StepReport): StepReportPayload {
  const out: StepReportPayload = { direction: r.direction, nodeId: r.nodeId, index: r.index, total: r.total, edges: [...r.edges] };
  if (r.outputs !== undefined) out.outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, [...v]]));
  if (r.loss !== undefined) out.loss = Number.isFinite(r.loss) ? r.loss : null;
  if (r.parameters !== undefined) out.parameters = [...r.parameters];
  return out;
}

export class StepRuntime {
  readonly model: GraphModel;
  optimizer: Optimizer | undefined;
  session: StepSession;
  step: number;
  epoch: number;
  private batch: Record<string, Tensor> | null = null;
  /** Parameter values before the last update, for the inspector's before/after view. */
  private previous = new Map<string, Float32Array | Float64Array>();

  constructor(
    public project: Project,
    checkpoint: Checkpoint | null,
  ) {
    const weights = checkpoint
      ? Object.fromEntries(Object.entries(checkpoint.weights).map(([k, t]) => [k, { shape: [...t.shape], data: Array.from(t.data) }]))
      : undefined;
    this.model = compileProject(project, weights);
    this.optimizer = makeOptimizer(this.model.parameters(), project.training.optimizer);
    if (checkpoint?.optimizer != null && this.optimizer !== undefined) {
      try {
        this.optimizer.loadStateDict(checkpoint.optimizer as Parameters<Optimizer['loadStateDict']>[0]);
      } catch {
        // A checkpoint from other optimizer settings: continue with fresh optimizer state.
      }
    }
    this.session = new StepSession(this.model, this.optimizer);
    this.step = checkpoint?.step ?? 0;
    this.epoch = checkpoint?.epoch ?? 0;
  }

  /**
   * New training settings for the next run, keeping the weights. A changed optimizer starts
   * with fresh state (and a fresh step session, with the current batch reloaded). Returns
   * whether the data (set, split, seed, standardisation) changed.
   */
  updateTraining(t: TrainingSettings): boolean {
    const old = this.project.training;
    this.project = { ...this.project, training: t };
    if (JSON.stringify(old.optimizer) !== JSON.stringify(t.optimizer)) {
      this.optimizer = makeOptimizer(this.model.parameters(), t.optimizer);
      this.session = new StepSession(this.model, this.optimizer);
      if (this.batch !== null) this.session.loadBatch(this.batch);
    }
    const dataKey = (x: TrainingSettings) => JSON.stringify([x.dataset, x.split, x.seed, x.standardize]);
    return dataKey(old) !== dataKey(t);
  }

  state(): SessionState {
    const loss = this.session.phase === 'empty' ? undefined : this.session.loss();
    return {
      phase: this.session.phase,
      currentNode: this.session.currentNode ?? null,
      loss: loss !== undefined && Number.isFinite(loss) ? loss : null,
      step: this.step,
    };
  }

  get hasBatch(): boolean {
    return this.batch !== null;
  }

  loadJson(inputs: unknown, targets: unknown): number {
    const b = batchFromJson(this.model, inputs, targets);
    if (typeof b === 'string') throw new SessionError('invalid-request', `Cannot load the batch: ${b}.`);
    return this.loadTensors(b);
  }

  loadTensors(batch: Record<string, Tensor>): number {
    this.session.loadBatch(batch);
    for (const t of Object.values(this.batch ?? {})) if (!Object.values(batch).includes(t)) t.dispose();
    this.batch = batch;
    return Object.values(batch)[0]?.shape[0] ?? 0;
  }

  private needBatch(): void {
    if (this.batch === null) throw new SessionError('conflict', 'Load a batch before stepping.');
  }

  stepForward(): StepReportPayload | null {
    this.needBatch();
    const r = this.session.forwardStep();
    return r ? reportPayload(r) : null;
  }

  stepBackward(): StepReportPayload | null {
    this.needBatch();
    const r = this.wrap(() => this.session.backwardStep());
    return r ? reportPayload(r) : null;
  }

  runForward(): StepReportPayload[] {
    this.needBatch();
    return this.session.runForward().map(reportPayload);
  }

  runBackward(): StepReportPayload[] {
    this.needBatch();
    return this.wrap(() => this.session.runBackward()).map(reportPayload);
  }

  applyUpdate(): string[] {
    this.needBatch();
    this.previous.clear();
    for (const [name, p] of this.model.namedParameters()) this.previous.set(name, p.data.slice());
    this.wrap(() => this.session.applyUpdate());
    this.step++;
    return this.model.namedParameters().map(([n]) => n);
  }

  reset(): void {
    this.session.reset();
  }

  checkpoint(): Checkpoint {
    const weights: Checkpoint['weights'] = {};
    for (const [name, p] of this.model.namedParameters()) weights[name] = { shape: [...p.shape], data: p.data.slice() };
    return { step: this.step, epoch: this.epoch, weights, optimizer: this.optimizer?.stateDict() ?? null, savedAt: Date.now() };
  }

  edgeSummary(edgeId: string, kind: 'activation' | 'gradient'): TensorSummary | null {
    this.requireEdge(edgeId);
    const t = kind === 'activation' ? this.session.activation(edgeId) : this.session.gradient(edgeId);
    return t ? summaryOf(t) : null;
  }

  parameterSummary(name: string, kind: 'value' | 'gradient' | 'previous' | 'update'): TensorSummary | null {
    const r = this.parameterData(name, kind);
    return r ? summaryOfData(r.data, r.shape, r.dtype) : null;
  }

  fullTensor(ref: TensorRef): FullTensor | null {
    if (ref.type === 'edge') {
      this.requireEdge(ref.edgeId);
      const t = ref.kind === 'activation' ? this.session.activation(ref.edgeId) : this.session.gradient(ref.edgeId);
      return t ? fullOf(t) : null;
    }
    const r = this.parameterData(ref.name, ref.kind);
    return r ? fullOfData(r.data, r.shape, r.dtype) : null;
  }

  private parameterData(name: string, kind: 'value' | 'gradient' | 'previous' | 'update'): { data: ArrayLike<number>; shape: readonly number[]; dtype: 'float32' | 'float64' } | null {
    const p = this.session.parameter(name);
    if (p === undefined) throw new SessionError('not-found', `The model has no parameter "${name}" (its parameters are ${this.model.namedParameters().map(([n]) => n).join(', ') || 'none'}).`);
    if (kind === 'value') return { data: p.data, shape: p.shape, dtype: p.dtype };
    if (kind === 'gradient') {
      const g = this.session.parameterGradient(name);
      return g ? { data: g.data, shape: g.shape, dtype: g.dtype } : null;
    }
    const before = this.previous.get(name);
    if (before === undefined) return null;
    if (kind === 'previous') return { data: before, shape: p.shape, dtype: p.dtype };
    const delta = p.data.slice();
    for (let i = 0; i < delta.length; i++) delta[i] -= before[i];
    return { data: delta, shape: p.shape, dtype: p.dtype };
  }

  private requireEdge(edgeId: string): void {
    if (!this.model.graph.edges.some((e) => e.id === edgeId)) throw new SessionError('not-found', `The graph has no edge "${edgeId}".`);
  }

  /** Engine errors about the order of steps are the user's to fix, not failures. */
  private wrap<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      const msg = (err as Error).message;
      if (/before|first|no loss|nothing to backpropagate|Complete the backward/i.test(msg)) throw new SessionError('conflict', msg);
      throw err;
    }
  }

  /**
   * Central finite differences in float64 on a twin of the model with the same weights and
   * batch, against the session's backprop gradient, at `samples` entries (the largest
   * gradients first, then evenly spread ones).
   */
  gradCheck(ref: { type: 'edge'; edgeId: string } | { type: 'parameter'; name: string }, samples = 8): { maxRelError: number; entries: { index: number; backprop: number; numeric: number; relError: number }[] } {
    this.needBatch();
    if (this.model.graph.nodes.some((n) => n.type === 'Dropout' && Number((n.params as { p?: unknown }).p ?? 0.5) > 0)) {
      throw new SessionError('conflict', 'The gradient check needs a deterministic loss, but the Dropout nodes make it random; set their p to 0 to check.');
    }
    // After an update the gradients belong to the old weights: recompute them at the current ones.
    if (this.session.phase === 'updated') this.session.reset();
    if (this.session.phase !== 'backwarded') this.wrap(() => this.session.runBackward());
    let analytic: Tensor | undefined;
    if (ref.type === 'edge') {
      this.requireEdge(ref.edgeId);
      analytic = this.session.gradient(ref.edgeId);
    } else {
      if (this.session.parameter(ref.name) === undefined) throw new SessionError('not-found', `The model has no parameter "${ref.name}".`);
      analytic = this.session.parameterGradient(ref.name);
    }
    if (analytic === undefined) throw new SessionError('conflict', 'No gradient flows there, so there is nothing to check.');
    const g = analytic.data;
    const picks = pickIndices(g, samples);

    const twin = compileProject(this.project, dumpWeights(this.model), 'float64');
    twin.train(true);
    const batch64: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(this.batch!)) batch64[k] = tensor(Array.from(t.data), t.shape, { dtype: 'float64' });
    const edge = ref.type === 'edge' ? this.model.graph.edges.find((e) => e.id === ref.edgeId)! : undefined;
    const param = ref.type === 'parameter' ? twin.namedParameters().find(([n]) => n === ref.name)![1] : undefined;

    const lossWith = (index: number, delta: number): number =>
      noGrad(() => {
        const values: NodeValues = new Map();
        if (param) param.data[index] += delta;
        try {
          for (const n of twin.nodes) {
            let out = twin.evaluate(n, values, batch64);
            if (edge && n.id === edge.source) {
              const t = out[edge.sourcePort];
              const copy = fromTypedArray(t.data.slice(), t.shape, { dtype: 'float64' });
              copy.data[index] += delta;
              out = { ...out, [edge.sourcePort]: copy };
            }
            values.set(n.id, out);
          }
          return totalLoss(twin, values)?.item() ?? NaN;
        } finally {
          if (param) param.data[index] -= delta;
        }
      });

    const base = ref.type === 'edge' ? this.session.activation(ref.edgeId)!.data : param!.data;
    const entries = picks.map((index) => {
      const h = 1e-6 * Math.max(1, Math.abs(base[index]));
      const numeric = (lossWith(index, h) - lossWith(index, -h)) / (2 * h);
      const backprop = g[index];
      const scale = Math.max(Math.abs(backprop), Math.abs(numeric));
      const relError = scale < 1e-8 ? Math.abs(backprop - numeric) : Math.abs(backprop - numeric) / scale;
      return { index, backprop, numeric, relError };
    });
    return { maxRelError: Math.max(0, ...entries.map((e) => e.relError)), entries };
  }
}

function pickIndices(g: ArrayLike<number>, samples: number): number[] {
  const n = g.length;
  if (n <= samples) return Array.from({ length: n }, (_, i) => i);
  const byMagnitude = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]));
  const picked = new Set(byMagnitude.slice(0, Math.ceil(samples / 2)));
  for (let k = 0; picked.size < samples && k < n; k++) picked.add(Math.floor((k * n) / samples) % n);
  return [...picked].sort((a, b) => a - b);
}
