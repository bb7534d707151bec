import { BackwardPass } from '../autograd/backward';
import type { TapeRecord } from '../autograd/tape';
import { collectTape } from '../autograd/tape';
import { withElementaryOps } from '../autograd/gradMode';
import type { SessionPhase } from '../../shared/api/session';
import type { Tensor } from '../tensor/tensor';
import type { GraphEdge } from '../graph/schema';
import type { CompiledNode, GraphModel, NodeValues } from './compile';
import { totalLoss } from './compile';
import { Dropout } from '../nn/dropout';
import { RNNBase } from '../nn/rnn';
import type { RnnStepStates } from '../nn/rnnFunctional';

/** What one step did, for highlighting the node and refreshing the edges it touched. */
export interface StepReport {
  readonly direction: 'forward' | 'backward';
  readonly nodeId: string;
  /** Position of this step among the steps of its pass (0-based) and their number. */
  readonly index: number;
  readonly total: number;
  /** Edges whose activation (forward) or final gradient (backward) became readable. */
  readonly edges: readonly string[];
  /** Forward: the shape of each output port. */
  readonly outputs?: Readonly<Record<string, readonly number[]>>;
  /** Forward, on a loss node: its value. */
  readonly loss?: number;
  /** Backward: parameters of this node whose gradients are now complete. */
  readonly parameters?: readonly string[];
}

/** The optimizer the session applies (the engine's SGD and Adam fit). */
export interface SessionOptimizer {
  step(): void;
  zeroGrad(): void;
}

/**
 * Steps a compiled graph through one training step, a node at a time: forward in topological
 * order, then backward in reverse over the engine's tape (a {@link BackwardPass} advanced record
 * by record: the session never re-implements backprop), then the optimizer update.
 *
 * @example
 * const s = new StepSession(model, new SGD(model.parameters(), { lr: 0.1 }));
 * s.loadBatch({ x, y });
 * s.forwardStep();           // { nodeId: 'x', … }
 * s.runForward(); s.runBackward();
 * summarizeTensor(s.gradient('e1')!); s.applyUpdate();
 */
export class StepSession {
  private batch: Readonly<Record<string, Tensor>> | undefined;
  private values: NodeValues = new Map();
  private forwardCursor = 0;
  private pass: BackwardPass | undefined;
  private backwardPlan: CompiledNode[] = [];
  private backwardCursor = 0;
  private nodeFloor = new Map<string, number>();
  private firstRecord = Infinity;
  private lastRecord = 0;
  private gradReported = new Set<string>();
  private lossTensor: Tensor | undefined;
  private updated = false;
  private current: string | undefined;
  private readonly edgesBySource = new Map<string, string[]>();
  private readonly position: Map<string, number>;
  private readonly edgesLatestFirst: GraphEdge[];
  private readonly paramsByNode = new Map<string, string[]>();
  private readonly edgeIndex: Map<string, number>;
  private edgeCursor = 0;
  /** A recurrent node's per-step states of this pass (RNNBase.lastStates when it ran). */
  private readonly recurrent = new Map<string, readonly RnnStepStates[]>();
  /** The record the last backward step processed (the op-level graph highlights it). */
  private lastOp: TapeRecord | undefined;
  /** The top record id once every node has run: records above it sum several losses. */
  private forwardTop = Infinity;

  constructor(
    readonly model: GraphModel,
    private readonly optimizer?: SessionOptimizer,
    private training = true,
  ) {
    for (const e of model.graph.edges) {
      const key = `${e.source}\u0000${e.sourcePort}`;
      this.edgesBySource.set(key, [...(this.edgesBySource.get(key) ?? []), e.id]);
    }
    this.position = new Map(model.nodes.map((x, i) => [x.id, i]));
    this.edgeIndex = new Map(model.graph.edges.map((e, i) => [e.id, i]));
    // Edges of a valid graph all join compiled nodes; latest source first, graph order among equals.
    this.edgesLatestFirst = model.graph.edges
      .filter((e) => this.position.has(e.source))
      .sort((a, b) => this.position.get(b.source)! - this.position.get(a.source)!);
    for (const [name] of model.namedParameters()) {
      const owner = name.slice(0, name.indexOf('.'));
      this.paramsByNode.set(owner, [...(this.paramsByNode.get(owner) ?? []), name]);
    }
  }

  /** Whether the pass runs in training mode (dropout draws masks, batch norm uses batch statistics). */
  get isTraining(): boolean {
    return this.training;
  }

  /** Switches training/evaluation mode; the pass starts over (its activations were of the other mode). */
  setTraining(training: boolean): void {
    if (training === this.training) return;
    this.training = training;
    if (this.batch) this.reset();
  }

  /**
   * The mask a Dropout node drew in this forward pass (0 where dropped, 1/(1 − p) where kept);
   * undefined before the node ran, for other nodes, and in evaluation mode (no mask is drawn).
   */
  dropoutMask(nodeId: string): Tensor | undefined {
    if (!this.training || !this.values.has(nodeId)) return undefined;
    const m = this.model.node(nodeId)?.runtime?.module;
    return m instanceof Dropout ? (m.lastMask ?? undefined) : undefined;
  }

  /**
   * A recurrent node's states at every time step of this forward pass, per layer and direction
   * (RNNBase.lastStates: the tensors on the tape); undefined before the node ran and for other nodes.
   */
  recurrentStates(nodeId: string): readonly RnnStepStates[] | undefined {
    return this.values.has(nodeId) ? this.recurrent.get(nodeId) : undefined;
  }

  /** Whether the backward pass has gone through a node (its records, and all after them, are processed). */
  backwardReached(nodeId: string): boolean {
    if (!this.pass) return false;
    for (let i = 0; i < this.backwardCursor; i++) if (this.backwardPlan[i].id === nodeId) return true;
    return false;
  }

  /**
   * Whether the backward pass holds the final ∂loss/∂t for a tensor of this pass: every record
   * made after t's own has been processed (records are numbered in execution order, so every
   * record that reads t is among them), whether node by node, op by op or time step by time step.
   */
  gradientFinal(t: Tensor): boolean {
    if (!this.pass || t.creator === null) return false;
    const next = this.pass.peek();
    return next === undefined || next.id <= t.creator.id;
  }

  /**
   * ∂loss/∂t for a tensor a node computed inside (a recurrent state of one time step): the pass's
   * own accumulated gradient, once final (see gradientFinal); undefined before, or when no
   * gradient reaches t.
   */
  innerGradient(t: Tensor): Tensor | undefined {
    return this.gradientFinal(t) ? this.pass!.gradOf(t) : undefined;
  }

  /**
   * Backpropagation through time, a time step at a time: when the backward pass has reached
   * recurrent node `nodeId`, processes its tape records (op by op, backwardOpStep) until one more
   * hidden state has its final gradient, the latest first; `state` says which. Once every state's
   * is final, or while the pass is before or past the node, it is a plain backwardStep (`report`).
   */
  backwardTimeStep(nodeId: string): {
    report: StepReport | null;
    state: { layer: number; direction: number; t: number } | null;
  } {
    const states = this.recurrentStates(nodeId);
    if (!this.pass || this.backwardPlan[this.backwardCursor]?.id !== nodeId || !states)
      return { report: this.backwardStep(), state: null };
    let next: { layer: number; direction: number; t: number; h: Tensor } | undefined;
    for (const s of states)
      s.h.forEach((h, t) => {
        if (h.creator !== null && !this.gradientFinal(h) && (!next || h.creator.id > next.h.creator!.id))
          next = { layer: s.layer, direction: s.direction, t, h };
      });
    if (!next) return { report: this.backwardStep(), state: null };
    const { h, ...state } = next;
    while (!this.gradientFinal(h)) {
      const r = this.backwardOpStep();
      if (r.report || r.op === null) return { report: r.report, state };
    }
    return { report: null, state };
  }

  get phase(): SessionPhase {
    if (!this.batch) return 'empty';
    if (this.updated) return 'updated';
    if (this.pass) return this.backwardCursor >= this.backwardPlan.length ? 'backwarded' : 'backward';
    if (this.forwardCursor === 0) return 'ready';
    return this.forwardCursor >= this.model.nodes.length ? 'forwarded' : 'forward';
  }

  /** The node the last step evaluated (to highlight), if any. */
  get currentNode(): string | undefined {
    return this.current;
  }

  /** Sets the batch (tensors by Input/Target node id) and resets the pass. */
  loadBatch(batch: Readonly<Record<string, Tensor>>): void {
    for (const n of [...this.model.inputNodes, ...this.model.targetNodes]) {
      if (!batch[n.id]) throw new Error(`The batch has no values for ${n.def.title} "${n.id}".`);
    }
    this.reset();
    this.batch = batch;
  }

  /** Clears every activation and gradient (and parameter gradients); keeps the batch and the weights. */
  reset(): void {
    this.releaseForward();
    this.values = new Map();
    this.recurrent.clear();
    this.forwardCursor = 0;
    this.pass = undefined;
    this.backwardPlan = [];
    this.backwardCursor = 0;
    this.nodeFloor.clear();
    this.firstRecord = Infinity;
    this.gradReported.clear();
    this.edgeCursor = 0;
    this.lossTensor = undefined;
    this.updated = false;
    this.current = undefined;
    this.lastOp = undefined;
    this.forwardTop = Infinity;
    this.model.zeroGrad();
  }

  /** Evaluates the next node in topological order; null when the forward pass is complete. */
  forwardStep(): StepReport | null {
    if (!this.batch) throw new Error('Load a batch before stepping.');
    if (this.phase === 'backwarded' || this.phase === 'updated' || this.phase === 'backward') this.reset();
    const i = this.forwardCursor;
    if (i >= this.model.nodes.length) return null;
    const node = this.model.nodes[i];
    this.model.train(this.training);
    if (i === 0) {
      this.lastRecord = maxCreatorId(Object.values(this.batch));
      this.firstRecord = this.lastRecord + 1;
    }
    // A node owns the records above everything recorded before it: (floor, …].
    this.nodeFloor.set(node.id, this.lastRecord);
    // The tape view shows every elementary op of a node (MatMul then Add, the loss's steps), not a fused kernel.
    const batch = this.batch;
    const out = withElementaryOps(() => this.model.evaluate(node, this.values, batch));
    this.values.set(node.id, out);
    // Kept now: another forward of the same layer (a prediction, a translation) replaces lastStates.
    const m = node.runtime?.module;
    if (m instanceof RNNBase) this.recurrent.set(node.id, m.lastStates);
    const top = maxCreatorId(Object.values(out));
    if (top > this.lastRecord) this.lastRecord = top;
    this.forwardCursor++;
    this.current = node.id;
    const edges: string[] = [];
    for (const port of Object.keys(out)) edges.push(...(this.edgesBySource.get(`${node.id}\u0000${port}`) ?? []));
    const report: StepReport = {
      direction: 'forward',
      nodeId: node.id,
      index: i,
      total: this.model.nodes.length,
      edges,
      outputs: Object.fromEntries(Object.entries(out).map(([p, t]) => [p, [...t.shape]])),
      ...(out.loss ? { loss: out.loss.item() } : {}),
    };
    if (this.forwardCursor === this.model.nodes.length) {
      this.forwardTop = this.lastRecord;
      this.lossTensor = totalLoss(this.model, this.values);
    }
    return report;
  }

  /** Runs the rest of the forward pass. */
  runForward(): StepReport[] {
    if (!this.batch) throw new Error('Load a batch before stepping.');
    const p = this.phase;
    if (p === 'backward' || p === 'backwarded' || p === 'updated') this.reset();
    const out: StepReport[] = [];
    while (this.forwardCursor < this.model.nodes.length) out.push(this.forwardStep()!);
    return out;
  }

  /** Backpropagates through the next node in reverse order; null when the backward pass is complete. */
  backwardStep(): StepReport | null {
    if (this.phase === 'updated')
      throw new Error('The weights were updated after this pass; run a new forward pass first.');
    if (!this.pass) this.beginBackward();
    const pass = this.pass!;
    const i = this.backwardCursor;
    if (i >= this.backwardPlan.length) return null;
    const node = this.backwardPlan[i];
    const floor = this.nodeFloor.get(node.id)!;
    for (let rec: TapeRecord | undefined = pass.peek(); rec && rec.id > floor; rec = pass.peek()) {
      pass.next();
      this.lastOp = rec;
    }
    this.backwardCursor++;
    this.current = node.id;
    const edges = this.newlyFinalEdges();
    const parameters = this.paramsByNode.get(node.id) ?? [];
    return { direction: 'backward', nodeId: node.id, index: i, total: this.backwardPlan.length, edges, parameters };
  }

  /**
   * Backpropagates through the next op on the tape (one record of the {@link BackwardPass}): the
   * op-level graph walks the tape with it. `report` is the node step the op completed, when it was
   * the last op of its node (the node's edges and parameters then have their final gradients).
   * `op` is null when the backward pass is already complete.
   */
  backwardOpStep(): { op: TapeRecord | null; nodeId: string | null; report: StepReport | null } {
    if (this.phase === 'updated')
      throw new Error('The weights were updated after this pass; run a new forward pass first.');
    if (!this.pass) this.beginBackward();
    const pass = this.pass!;
    const node = this.backwardPlan[this.backwardCursor];
    if (!node) return { op: null, nodeId: null, report: null };
    const floor = this.nodeFloor.get(node.id)!;
    const rec = pass.peek();
    // Every planned node owns at least one record on the loss's tape, so `rec` is the node's.
    if (rec === undefined || rec.id <= floor) return { op: null, nodeId: node.id, report: this.backwardStep() };
    pass.next();
    this.lastOp = rec;
    this.current = node.id;
    const more = pass.peek();
    const report = more !== undefined && more.id > floor ? null : this.backwardStep();
    return { op: rec, nodeId: this.ownerOf(rec), report };
  }

  /** The records this pass made, in execution order (those that lead to a node's output or the loss). */
  passRecords(): TapeRecord[] {
    if (this.firstRecord === Infinity) return [];
    const roots: Tensor[] = [];
    for (const outs of this.values.values()) roots.push(...Object.values(outs));
    if (this.lossTensor) roots.push(this.lossTensor);
    return collectTape(roots).filter((r) => r.id >= this.firstRecord);
  }

  /** The canvas node whose forward step made a record of this pass; null for the sum of several losses. */
  ownerOf(rec: TapeRecord): string | null {
    if (rec.id > this.forwardTop) return null;
    let owner: string | null = null;
    for (const n of this.model.nodes) {
      const floor = this.nodeFloor.get(n.id);
      if (floor === undefined || floor >= rec.id) break;
      owner = n.id;
    }
    return owner;
  }

  /** The node outputs of this pass so far, by node id and port. */
  get nodeValues(): ReadonlyMap<string, Readonly<Record<string, Tensor>>> {
    return this.values;
  }

  /** The loaded batch, by Input/Target node id. */
  get batchValues(): Readonly<Record<string, Tensor>> | undefined {
    return this.batch;
  }

  /**
   * Where the backward pass is on the tape: the records of the loss's tape (null before the backward
   * pass began), the record processed last, and the one processed next.
   */
  backwardTape(): { onTape: ReadonlySet<number>; last: TapeRecord | undefined; next: TapeRecord | undefined } | null {
    if (!this.pass || !this.lossTensor) return null;
    return {
      onTape: new Set(collectTape(this.lossTensor).map((r) => r.id)),
      last: this.lastOp,
      next: this.pass.peek(),
    };
  }

  /** The gradient backpropagation has accumulated so far for any tensor of the pass. */
  accumulatedGradient(t: Tensor): Tensor | undefined {
    return this.pass?.gradOf(t);
  }

  /** Runs the rest of the backward pass (running the forward pass first if needed). */
  runBackward(): StepReport[] {
    const out: StepReport[] = [];
    for (let r = this.backwardStep(); r; r = this.backwardStep()) out.push(r);
    return out;
  }

  /** Applies the optimizer to the gradients of the completed backward pass. */
  applyUpdate(): void {
    if (!this.optimizer) throw new Error('This session has no optimizer.');
    if (this.phase !== 'backwarded') throw new Error('Complete the backward pass before applying the update.');
    this.optimizer.step();
    this.updated = true;
  }

  /** The total loss of the forward pass, once a loss node has run. */
  loss(): number | undefined {
    return this.lossTensor?.item() ?? this.partialLoss();
  }

  /** Each loss node's value, for the loss nodes that have run. */
  lossValues(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const n of this.model.lossNodes) {
      const t = this.values.get(n.id)?.loss;
      if (t) out[n.id] = t.item();
    }
    return out;
  }

  /** A node's output tensor on a port, once the node has run. */
  nodeOutput(nodeId: string, port: string): Tensor | undefined {
    return this.values.get(nodeId)?.[port];
  }

  /** The tensor on an edge (the activation), once its source node has run. */
  activation(edgeId: string): Tensor | undefined {
    const e = this.model.graph.edges.find((x) => x.id === edgeId);
    return e ? this.values.get(e.source)?.[e.sourcePort] : undefined;
  }

  /** ∂loss/∂(the tensor on an edge), once final; undefined before, or when no gradient flows there. */
  gradient(edgeId: string): Tensor | undefined {
    if (!this.pass || !this.gradReported.has(edgeId)) return undefined;
    const t = this.activation(edgeId);
    return t ? this.pass.gradOf(t) : undefined;
  }

  parameter(name: string): Tensor | undefined {
    return this.model.namedParameters().find(([n]) => n === name)?.[1];
  }

  parameterGradient(name: string): Tensor | undefined {
    const g = this.parameter(name)?.grad;
    return g && !g.isDisposed ? g : undefined;
  }

  private partialLoss(): number | undefined {
    const l = totalLoss(this.model, this.values);
    return l?.item();
  }

  private beginBackward(): void {
    if (this.phase !== 'forwarded') this.runForward();
    const loss = this.lossTensor;
    if (!loss) throw new Error('The graph has no loss node, so there is nothing to backpropagate.');
    if (!loss.requiresGrad)
      throw new Error('The loss does not depend on any parameter, so there is nothing to backpropagate.');
    this.model.zeroGrad();
    this.pass = new BackwardPass([loss]);
    // The nodes whose records lie on the loss's tape, last evaluated first.
    const onTape = collectTape(loss).map((r) => r.id);
    const floors = this.model.nodes.map((n) => this.nodeFloor.get(n.id)!);
    this.backwardPlan = this.model.nodes.filter((_, i) => {
      const ceiling = i + 1 < floors.length ? floors[i + 1] : Infinity;
      return onTape.some((id) => id > floors[i] && id <= ceiling);
    });
    this.backwardPlan.reverse();
    this.backwardCursor = 0;
  }

  /**
   * Edges whose gradient is final: every planned node evaluated after the edge's source has been
   * processed (consumers always come after their source, and only planned nodes own tape records).
   * The plan is processed from the last node backwards, so a cursor over the edges sorted by
   * source position (latest first) finds them in O(edges) per pass.
   */
  private newlyFinalEdges(): string[] {
    const next = this.backwardPlan[this.backwardCursor];
    const latestPending = next ? this.position.get(next.id)! : -Infinity;
    const fresh: string[] = [];
    while (this.edgeCursor < this.edgesLatestFirst.length) {
      const e = this.edgesLatestFirst[this.edgeCursor];
      if (this.position.get(e.source)! < latestPending) break;
      this.edgeCursor++;
      this.gradReported.add(e.id);
      fresh.push(e.id);
    }
    // Report them in the graph's order.
    return fresh.sort((a, b) => this.edgeIndex.get(a)! - this.edgeIndex.get(b)!);
  }

  /** Gives the allocator back the intermediates of the previous forward pass. */
  private releaseForward(): void {
    if (this.firstRecord === Infinity) return;
    const roots: Tensor[] = [];
    for (const outs of this.values.values()) roots.push(...Object.values(outs));
    const batchTensors = new Set(Object.values(this.batch ?? {}));
    const params = new Set(this.model.parameters());
    for (const rec of collectTape(roots)) {
      if (rec.id < this.firstRecord) continue;
      for (const t of rec.outputs) if (!batchTensors.has(t) && !params.has(t)) t.dispose();
    }
  }
}

/**
 * The highest id among the records that produced some tensors. Records are numbered in execution
 * order, so every record behind a node's outputs has an id at most this; records a node made that
 * lead to none of its outputs never reach the loss's tape, so where they fall does not matter.
 */
function maxCreatorId(tensors: readonly Tensor[]): number {
  let max = 0;
  for (const t of tensors) if (t.creator && t.creator.id > max) max = t.creator.id;
  return max;
}
