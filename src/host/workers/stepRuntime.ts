// The step session of one worker: compiles the project's graph, steps it node by node, applies
// the optimizer, and answers the inspector (summaries, full tensors, gradient checks).
import { compileProject } from '../../engine/runtime/compile';
import type { GraphModel } from '../../engine/runtime/compile';
import { createOptimizer } from '../../engine/train/train';
import type { OptimizerSettings } from '../../engine/graph/schema';
import { batchFromJson } from '../../engine/runtime/batch';
import { StepSession } from '../../engine/runtime/stepSession';
import type { StepReport } from '../../engine/runtime/stepSession';
import type { Project, TrainingSettings } from '../../engine/graph/schema';
import type { Optimizer, OptimizerSnapshot } from '../../engine/optim/optimizer';
import type { Tensor } from '../../engine/tensor/tensor';
import type { FullTensor, TensorSummary } from '../../shared/api/tensor';
import type {
  GradCheckRef,
  GradCheckResult,
  LossView,
  SessionState,
  StepReportPayload,
  StepTensors,
  TensorRef,
} from '../../shared/api/session';
import { dataSettingsKey } from '../../engine/train/trainingData';
import type { Checkpoint } from './sessionProtocol';
import { gradCheck } from './gradCheck';
import { fullTensor, fullTensorOf, summarize, summarizeTensor } from '../../engine/runtime/tensorSummary';
import { SessionError } from './workerErrors';
import { lossView } from '../../engine/runtime/lossView';
import { unrolledView } from '../../engine/runtime/unrolled';
import type { UnrolledView } from '../../shared/api/unrolled';

/** The engine's optimizer for the settings (the CLI's too); none for a graph without parameters. */
function makeOptimizer(params: readonly Tensor[], s: OptimizerSettings): Optimizer | undefined {
  return params.length === 0 ? undefined : createOptimizer(s, params);
}

function reportPayload(r: StepReport): StepReportPayload {
  const out: StepReportPayload = {
    direction: r.direction,
    nodeId: r.nodeId,
    index: r.index,
    total: r.total,
    edges: [...r.edges],
  };
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
  /**
   * The pass in the session was made by the live preview, not by the user's steps: the next
   * forward step starts a new pass from the first node instead of finding this one complete.
   */
  private previewPass = false;

  /** The loaded batch (null before the first loadBatch). */
  get batchTensors(): Record<string, Tensor> | null {
    return this.batch;
  }
  /** Parameter values before the last update, for the inspector's before/after view. */
  private previous = new Map<string, Float32Array | Float64Array>();

  constructor(
    public project: Project,
    checkpoint: Checkpoint | null,
    dtype: 'float32' | 'float64' = 'float32',
  ) {
    const weights = checkpoint
      ? Object.fromEntries(
          Object.entries(checkpoint.weights).map(([k, t]) => [k, { shape: [...t.shape], data: Array.from(t.data) }]),
        )
      : undefined;
    this.model = compileProject(project, { ...(weights ? { weights } : {}), dtype });
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
      this.session = new StepSession(this.model, this.optimizer, this.session.isTraining);
      if (this.batch !== null) this.session.loadBatch(this.batch);
    }
    return dataSettingsKey(old) !== dataSettingsKey(t);
  }

  /**
   * Time travel's "step from here": the given weights (in the model's parameter order) and a fresh
   * pass, `step` updates and `epoch` epochs counted as done; the optimizer's state is `state` when
   * given (taken of an optimizer with the current settings), else fresh.
   */
  restoreWeights(
    weights: readonly (Float32Array | Float64Array)[],
    step: number,
    epoch: number,
    state?: OptimizerSnapshot,
  ): void {
    const params = this.model.parameters();
    params.forEach((p, i) => p.data.set(weights[i]));
    this.optimizer = makeOptimizer(params, this.project.training.optimizer);
    if (state !== undefined) this.optimizer?.restore(state);
    this.session = new StepSession(this.model, this.optimizer, this.session.isTraining);
    this.previous.clear();
    this.previewPass = false;
    this.step = step;
    this.epoch = epoch;
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
    this.previewPass = false;
    for (const t of Object.values(this.batch ?? {})) if (!Object.values(batch).includes(t)) t.dispose();
    this.batch = batch;
    return Object.values(batch)[0]?.shape[0] ?? 0;
  }

  needBatch(): void {
    if (this.batch === null) throw new SessionError('conflict', 'Load a batch before stepping.');
  }

  stepForward(): StepReportPayload | null {
    this.needBatch();
    this.leavePreview(true);
    const r = this.session.forwardStep();
    return r ? reportPayload(r) : null;
  }

  /**
   * What a backward command needs first: the rest of the forward pass when it is not complete
   * (its reports and what they touched, answered with the backward's), or undefined.
   */
  completeForward(): { reports: StepReportPayload[]; tensors: StepTensors } | undefined {
    this.needBatch();
    this.leavePreview(false);
    const p = this.session.phase;
    if (p !== 'ready' && p !== 'forward') return undefined;
    const reports = this.session.runForward().map(reportPayload);
    return { reports, tensors: this.touched(reports) };
  }

  stepBackward(): StepReportPayload | null {
    this.needBatch();
    this.leavePreview(false);
    const r = this.wrap(() => this.session.backwardStep());
    return r ? reportPayload(r) : null;
  }

  /** One op of the backward pass (session.stepBackwardOp). */
  stepBackwardOp(): { report: StepReportPayload | null; op: number | null; nodeId: string | null } {
    this.needBatch();
    this.leavePreview(false);
    const r = this.wrap(() => this.session.backwardOpStep());
    return { report: r.report ? reportPayload(r.report) : null, op: r.op?.id ?? null, nodeId: r.nodeId };
  }

  needNode(nodeId: string): void {
    if (!this.model.node(nodeId)) throw new SessionError('not-found', `The graph has no node "${nodeId}".`);
  }

  /** One time step of backpropagation through a recurrent node (session.stepBackwardTime). */
  stepBackwardTime(nodeId: string): {
    report: StepReportPayload | null;
    timeStep: { layer: number; direction: number; t: number } | null;
  } {
    this.needBatch();
    this.needNode(nodeId);
    this.leavePreview(false);
    const r = this.wrap(() => this.session.backwardTimeStep(nodeId));
    return { report: r.report ? reportPayload(r.report) : null, timeStep: r.state };
  }

  runForward(): StepReportPayload[] {
    this.needBatch();
    this.leavePreview(true);
    return this.session.runForward().map(reportPayload);
  }

  runBackward(): StepReportPayload[] {
    this.needBatch();
    this.leavePreview(false);
    return this.wrap(() => this.session.runBackward()).map(reportPayload);
  }

  /**
   * The user's steps take over the preview's pass: backward continues it (its activations are
   * what the canvas shows), forward starts afresh so that stepping begins at the first node.
   */
  private leavePreview(forward: boolean): void {
    if (!this.previewPass) return;
    this.previewPass = false;
    if (forward) this.session.reset();
  }

  /**
   * Live preview (session.preview): one forward pass over the loaded batch and, when asked and the
   * graph has a loss, one backward pass; the summaries of every edge and parameter they touched.
   */
  preview(gradients: boolean): { activations: StepTensors; gradients: StepTensors | null } {
    this.needBatch();
    this.session.reset();
    const forward = this.session.runForward().map(reportPayload);
    const activations = this.touched(forward);
    let grads: StepTensors | null = null;
    if (gradients && this.model.lossNodes.length > 0)
      grads = this.touched(this.wrap(() => this.session.runBackward()).map(reportPayload));
    this.previewPass = true;
    return { activations, gradients: grads };
  }

  /**
   * Gives back the tensors this runtime holds (the pass, the batch, the weights and their
   * gradients) before the worker compiles another project in its place, so the session's memory
   * budget counts only the new one.
   */
  dispose(): void {
    this.session.reset();
    for (const t of Object.values(this.batch ?? {})) t.dispose();
    this.batch = null;
    for (const [, t] of [...this.model.namedParameters(), ...this.model.namedBuffers()]) t.dispose();
  }

  /**
   * The summaries of what the reports touched (see StepTensors): the step's answer carries them,
   * so the renderer never asks again per edge.
   */
  touched(reports: readonly StepReportPayload[]): StepTensors {
    const tensors: StepTensors = { edges: {}, parameters: {} };
    for (const r of reports) {
      const forward = r.direction === 'forward';
      for (const e of r.edges) tensors.edges[e] = this.edgeSummary(e, forward ? 'activation' : 'gradient');
      const mask = forward ? this.session.dropoutMask(r.nodeId) : undefined;
      if (mask) for (const e of r.edges) (tensors.masks ??= {})[e] = summarizeTensor(mask);
      const names = forward ? this.parametersOf(r.nodeId) : (r.parameters ?? []);
      for (const n of names) tensors.parameters[n] = this.parameterSummary(n, forward ? 'value' : 'gradient');
    }
    return tensors;
  }

  /** The parameters a node owns (`fc1.weight`, `fc1.bias` for node fc1). */
  private parametersOf(nodeId: string): string[] {
    return this.model
      .namedParameters()
      .map(([n]) => n)
      .filter((n) => n.slice(0, n.indexOf('.')) === nodeId);
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

  setMode(mode: 'train' | 'eval'): void {
    this.session.setTraining(mode === 'train');
  }

  get mode(): 'train' | 'eval' {
    return this.session.isTraining ? 'train' : 'eval';
  }

  checkpoint(): Checkpoint {
    const weights: Checkpoint['weights'] = {};
    for (const [name, p] of this.model.namedParameters()) weights[name] = { shape: [...p.shape], data: p.data.slice() };
    return {
      step: this.step,
      epoch: this.epoch,
      weights,
      optimizer: this.optimizer?.stateDict() ?? null,
      savedAt: Date.now(),
    };
  }

  edgeSummary(edgeId: string, kind: 'activation' | 'gradient'): TensorSummary | null {
    this.requireEdge(edgeId);
    const t = kind === 'activation' ? this.session.activation(edgeId) : this.session.gradient(edgeId);
    return t ? summarizeTensor(t) : null;
  }

  parameterSummary(name: string, kind: 'value' | 'gradient' | 'previous' | 'update'): TensorSummary | null {
    const r = this.parameterData(name, kind);
    return r ? summarize(r.data, r.shape, r.dtype) : null;
  }

  fullTensor(ref: TensorRef): FullTensor | null {
    if (ref.type === 'edge') {
      this.requireEdge(ref.edgeId);
      const t = ref.kind === 'activation' ? this.session.activation(ref.edgeId) : this.session.gradient(ref.edgeId);
      return t ? fullTensorOf(t) : null;
    }
    const r = this.parameterData(ref.name, ref.kind);
    return r ? fullTensor(r.data, r.shape, r.dtype) : null;
  }

  private parameterData(
    name: string,
    kind: 'value' | 'gradient' | 'previous' | 'update',
  ): { data: ArrayLike<number>; shape: readonly number[]; dtype: 'float32' | 'float64' } | null {
    const p = this.session.parameter(name);
    if (p === undefined)
      throw new SessionError(
        'not-found',
        `The model has no parameter "${name}" (its parameters are ${
          this.model
            .namedParameters()
            .map(([n]) => n)
            .join(', ') || 'none'
        }).`,
      );
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

  /**
   * The loss view of a loss node (the first when none is named), with the batch's examples once
   * the forward pass has evaluated that node.
   */
  lossView(nodeId?: string): LossView {
    const losses = this.model.lossNodes;
    const node = nodeId === undefined ? losses[0] : losses.find((n) => n.id === nodeId);
    if (node === undefined)
      throw new SessionError(
        'not-found',
        nodeId === undefined
          ? 'The graph has no loss node to plot; add one (Losses in the palette).'
          : `"${nodeId}" is not a loss node of this graph (its loss nodes are ${losses.map((n) => n.id).join(', ') || 'none'}).`,
      );
    const ran = this.session.lossValues()[node.id] !== undefined;
    const at = (port: 'input' | 'target') => {
      const e = node.inputEdges[port];
      return e ? this.session.nodeOutput(e.source, e.sourcePort) : undefined;
    };
    const scores = at('input');
    const targets = at('target');
    return lossView(node, ran && scores && targets ? { scores, targets } : null);
  }

  /** The unrolled view of a recurrent node in the current pass (see engine/runtime/unrolled.ts). */
  unrolled(nodeId: string, layer?: number, direction?: number): UnrolledView {
    if (!this.model.node(nodeId)) throw new SessionError('not-found', `The graph has no node "${nodeId}".`);
    try {
      return unrolledView(this.session, nodeId, layer, direction);
    } catch (err) {
      throw new SessionError('invalid-request', (err as Error).message);
    }
  }

  requireEdge(edgeId: string): void {
    if (!this.model.graph.edges.some((e) => e.id === edgeId))
      throw new SessionError('not-found', `The graph has no edge "${edgeId}".`);
  }

  /** Engine errors about the order of steps are the user's to fix, not failures. */
  wrap<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      const msg = (err as Error).message;
      if (/before|first|no loss|nothing to backpropagate|Complete the backward/i.test(msg))
        throw new SessionError('conflict', msg);
      throw err;
    }
  }

  /** See gradCheck.ts. */
  gradCheck(ref: GradCheckRef, samples = 8): GradCheckResult {
    return gradCheck(this, ref, samples);
  }
}
