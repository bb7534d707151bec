// Time travel through training: the last training steps of a session, bounded by a byte budget.
// A step keeps only what cannot be computed again: its batch (indices into its run's data set),
// its loss and accuracy, and the state of every random generator it drew from (each Dropout's).
// The weights a step computed with are kept at keyframes only: the weights and the optimizer's
// state before a step, taken every few steps (at most KEYFRAME_STEPS steps or KEYFRAME_MS of
// training apart). A later step's weights are found again by training the steps in between once
// more from its keyframe, and everything else the canvas showed of a step (every edge's
// activation and gradient, every parameter's gradient) by running its pass again (stepReplay.ts):
// the same arithmetic on the same values, so the same numbers.
//
// NOTE: a copy of the weights at every step cost the digits MLP 8–10% of its training time
// (an 8 MB ring written a step at a time, cold in the cache); a keyframe every 64 steps costs
// almost nothing, and a replay trains at most ~20 ms again.
import type { Dataset } from '../../engine/train/dataset';
import type { GraphModel } from '../../engine/runtime/compile';
import type { TrainingData } from '../../engine/train/trainingData';
import type { Optimizer, OptimizerSnapshot } from '../../engine/optim/optimizer';
import { Dropout } from '../../engine/nn/dropout';
import type { Rng } from '../../engine/tensor/rng';
import { RNG_STATE_SIZE } from '../../engine/tensor/rng';
import { MAX_RECORDED_STEPS } from '../../shared/api/training';

/** The default budget of one session's record: thousands of steps of the course's networks. */
export const RECORD_BUDGET_BYTES = 8 * 2 ** 20;
/** The most steps kept, however small the network (training.history answers them all). */
export const RECORD_MAX_STEPS = MAX_RECORDED_STEPS;
/** A keyframe at least this often (ms of training): a replay trains at most about this long again. */
export const KEYFRAME_MS = 20;
/** A keyframe at least every this many steps, however fast they are. */
export const KEYFRAME_STEPS = 64;
/** Bytes counted for a step besides its arrays (the record object, its indices array's header). */
const STEP_OVERHEAD = 256;
/** Bytes counted for each typed array besides its values (the view and its buffer's header). */
const ARRAY_OVERHEAD = 96;
const NO_GENERATORS = new Float64Array(0);

type Data = Float32Array | Float64Array;

/**
 * The random generators a training step draws from, in the model's node order: each Dropout
 * node's own (its masks). The recorder saves their states before every step, replay loads them.
 */
export function stepGenerators(model: GraphModel): Rng[] {
  const out: Rng[] = [];
  for (const n of model.nodes) {
    const m = n.runtime?.module;
    if (m instanceof Dropout) out.push(m.rng);
  }
  return out;
}

/** Saves the generators' states into `out` (RNG_STATE_SIZE numbers each); `out` is reused when it fits. */
export function saveGenerators(generators: readonly Rng[], out?: Float64Array): Float64Array {
  const size = generators.length * RNG_STATE_SIZE;
  const buf = out !== undefined && out.length === size ? out : new Float64Array(size);
  generators.forEach((g, i) => g.saveState(buf, i * RNG_STATE_SIZE));
  return buf;
}

/** Puts back the states {@link saveGenerators} saved. */
export function loadGenerators(generators: readonly Rng[], states: Float64Array): void {
  if (states.length !== generators.length * RNG_STATE_SIZE)
    throw new Error(
      `The step recorded ${states.length / RNG_STATE_SIZE} random generators; the model has ${generators.length}.`,
    );
  generators.forEach((g, i) => g.loadState(states, i * RNG_STATE_SIZE));
}

/** One training step as it is given to the recorder at once (push): always a keyframe of its own. */
export interface StepRecordInput {
  /** The optimizer step (1-based, counting earlier runs). */
  readonly step: number;
  /** The epoch in progress (1-based) and the batches done in it. */
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
  readonly accuracy: number | null;
  /** The batch's examples (indices into the data set). */
  readonly indices: readonly number[];
  /** The weights the step computed with (before its update), in the model's parameter order. */
  readonly weights: readonly Data[];
  /** The states of the generators the step drew from before it drew (saveGenerators). */
  readonly generators?: Float64Array;
  /** The data set the indices point into (null: the session's current one). */
  readonly dataset?: Dataset | null;
}

/** A recorded step as the history lists it; its weights come from {@link TrainingRecorder.path}. */
export interface RecordedStep {
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
  readonly accuracy: number | null;
  readonly indices: readonly number[];
  /** The step's generators' states before it drew (stepGenerators' order, RNG_STATE_SIZE numbers each). */
  readonly generators: Float64Array;
  /** The data set of the step's run, which its indices point into (null: the session's current one). */
  readonly dataset: Dataset | null;
  /** What this record counts against the budget (a keyframe's first step counts the keyframe too). */
  readonly bytes: number;
}

/** Training as it stood before a step: where later steps are computed again from. */
export interface Keyframe {
  /** The step these are the weights before. */
  readonly step: number;
  /** The parameters' values, in the model's parameter order. */
  readonly weights: readonly Data[];
  /** Which parameters had a gradient (zeroed before the step, then added to, rather than created). */
  readonly grads: readonly boolean[];
  /**
   * The optimizer the steps after it were trained with and its state before them, and their run's
   * data; null for a step handed in whole (`push`), which is a keyframe of its own.
   */
  readonly optimizer: Optimizer | null;
  readonly state: OptimizerSnapshot | null;
  readonly training: TrainingData | null;
  readonly bytes: number;
}

/** What it takes to have a recorded step's weights again (stepReplay.ts's recordedStep). */
export interface StepPath {
  readonly keyframe: Keyframe;
  /** The recorded steps from the keyframe's up to, and not including, `record`. */
  readonly between: readonly RecordedStep[];
  readonly record: RecordedStep;
}

class KeyframeStore implements Keyframe {
  step = 0;
  bytes = 0;
  training: TrainingData | null = null;
  constructor(
    readonly weights: Data[],
    readonly grads: boolean[],
    readonly optimizer: Optimizer | null,
    readonly state: OptimizerSnapshot | null,
    /** The recorder's clock when it was taken. */
    readonly at: number,
  ) {
    let bytes = ARRAY_OVERHEAD * weights.length + (state?.bytes ?? 0);
    for (const w of weights) bytes += w.byteLength;
    this.bytes = bytes;
  }
}

/** A keyframe and the steps recorded after it. */
interface Group {
  readonly keyframe: KeyframeStore;
  readonly steps: RecordedStep[];
  bytes: number;
}

/** `target` with `size` values of `source` copied in; a new array only when `target` does not fit. */
function copyInto(target: Data | undefined, source: Data, size: number): Data {
  if (
    target === undefined ||
    target.length !== size ||
    target instanceof Float64Array !== source instanceof Float64Array
  )
    target = source instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);
  if (source.length === size) target.set(source);
  else target.set(source.subarray(0, size));
  return target;
}

export interface RecorderOptions {
  readonly keyframeMs?: number;
  readonly keyframeSteps?: number;
  /** The clock keyframes are spaced by (milliseconds); the trainer's. */
  readonly now?: () => number;
}

/**
 * The last steps of training, never more than `budgetBytes` and `maxSteps`: keyframes and the
 * steps after each. The oldest keyframe goes with its steps when the budget is reached, so a small
 * MLP keeps thousands of steps and a CNN with millions of weights fewer (a keyframe larger than
 * the whole budget is not recorded, and `note` says why).
 *
 * The training loop hands a step in two calls: `begin` before it (its generators' states, and at a
 * keyframe the weights and the optimizer's state, copied aside) and `end` after it trained (its
 * batch and numbers). A keyframe dropped from the ring lends its storage to the next one.
 */
export class TrainingRecorder {
  private groups: Group[] = [];
  private count = 0;
  /** A step is begun: its keyframe (or null), its generators' states. */
  private begun = false;
  private pending: KeyframeStore | null = null;
  private pendingGenerators: Float64Array = NO_GENERATORS;
  /** The next step must be a keyframe (the first, a new run, after a pause or a gap). */
  private chainBroken = true;
  /** A keyframe no record needs any more, whose arrays the next keyframe reuses. */
  private spare: KeyframeStore | null = null;
  private readonly keyframeMs: number;
  private readonly keyframeSteps: number;
  private readonly now: () => number;
  /** Bytes held now: never more than the budget. */
  bytes = 0;
  /** Steps the budget holds for this network at the present rate (null until a step is recorded). */
  capacity: number | null = null;
  /** Why nothing is recorded (a keyframe larger than the budget), else null. */
  note: string | null = null;

  constructor(
    readonly budgetBytes = RECORD_BUDGET_BYTES,
    readonly maxSteps = RECORD_MAX_STEPS,
    opts: RecorderOptions = {},
  ) {
    this.keyframeMs = opts.keyframeMs ?? KEYFRAME_MS;
    this.keyframeSteps = opts.keyframeSteps ?? KEYFRAME_STEPS;
    this.now = opts.now ?? Date.now;
  }

  /** Whether the training loop should hand its steps in (false once a keyframe proved too large). */
  get recording(): boolean {
    return this.capacity !== 0;
  }

  get size(): number {
    return this.count;
  }

  /** The next step starts a keyframe: a new run, or training resumed after a pause. */
  breakChain(): void {
    this.chainBroken = true;
  }

  /**
   * Starts recording a step: its generators' states, and when a keyframe is due the parameters'
   * values and the optimizer's state, copied aside. They become a record only when the step turns
   * out to be a training step (`end`), so an epoch's evaluation or a stop forgets no record.
   */
  begin(
    params: readonly { readonly size: number; readonly data: Data; readonly grad?: unknown }[],
    generators: readonly Rng[] = [],
    optimizer: Optimizer | null = null,
  ): void {
    this.begun = false;
    if (!this.recording) return;
    const now = this.now();
    const last = this.groups.at(-1);
    const due =
      this.chainBroken ||
      optimizer === null ||
      last === undefined ||
      last.keyframe.optimizer !== optimizer ||
      last.steps.length >= this.keyframeSteps ||
      now - last.keyframe.at >= this.keyframeMs;
    if (this.pending !== null) this.spare = this.pending;
    this.pending = due ? this.keyframe(params, optimizer, now) : null;
    this.pendingGenerators = generators.length === 0 ? NO_GENERATORS : saveGenerators(generators);
    this.begun = true;
  }

  private keyframe(
    params: readonly { readonly size: number; readonly data: Data; readonly grad?: unknown }[],
    optimizer: Optimizer | null,
    now: number,
  ): KeyframeStore {
    const reuse = this.spare !== null && this.spare.weights.length === params.length ? this.spare : null;
    this.spare = null;
    const weights = params.map((p, i) => copyInto(reuse?.weights[i], p.data, p.size));
    const grads = params.map((p) => hasGrad(p.grad));
    const state = optimizer?.snapshot(reuse?.optimizer === optimizer ? (reuse.state ?? undefined) : undefined) ?? null;
    return new KeyframeStore(weights, grads, optimizer, state, now);
  }

  /**
   * Ends the step begun: it trained on `indices` of `dataset` (null: the session's current one);
   * `training` is its run's data, which the steps after a keyframe are trained on again with.
   */
  end(
    input: {
      step: number;
      epoch: number;
      batch: number;
      loss: number;
      accuracy: number | null;
      indices: readonly number[];
    },
    dataset: Dataset | null = null,
    training: TrainingData | null = null,
  ): void {
    if (!this.begun) return;
    this.begun = false;
    const kf = this.pending;
    this.pending = null;
    const generators = this.pendingGenerators;
    const rec: RecordedStep = {
      step: input.step,
      epoch: input.epoch,
      batch: input.batch,
      loss: input.loss,
      accuracy: input.accuracy,
      indices: input.indices.slice(),
      generators,
      dataset,
      bytes: STEP_OVERHEAD + 8 * input.indices.length + generators.byteLength + (kf?.bytes ?? 0),
    };
    let group: Group | undefined;
    if (kf !== null) {
      kf.step = input.step;
      kf.training = training;
      if (rec.bytes > this.budgetBytes) {
        this.clear();
        this.capacity = 0;
        this.note = `One step of this network takes ${mb(rec.bytes)} to record, more than the ${mb(this.budgetBytes)} kept for time travel.`;
        return;
      }
      group = { keyframe: kf, steps: [], bytes: 0 };
      this.groups.push(group);
    } else {
      group = this.groups.at(-1);
      const last = group?.steps.at(-1);
      if (group === undefined || last === undefined || last.step + 1 !== input.step) {
        // Not the step after the last one recorded: it cannot be computed again from a keyframe.
        this.chainBroken = true;
        return;
      }
    }
    // The oldest keyframes go, with their steps, while the new step does not fit.
    while (this.groups.length > 1 && (this.bytes + rec.bytes > this.budgetBytes || this.count + 1 > this.maxSteps))
      this.dropOldest();
    if (this.bytes + rec.bytes > this.budgetBytes) {
      // The keyframe and its steps alone fill the budget: the next step starts another.
      this.chainBroken = true;
      if (group.steps.length === 0) this.groups.pop();
      return;
    }
    group.steps.push(rec);
    group.bytes += rec.bytes;
    this.bytes += rec.bytes;
    this.count++;
    this.chainBroken = false;
    this.note = null;
    this.capacity = Math.min(this.maxSteps, Math.floor((this.budgetBytes * this.count) / this.bytes));
  }

  /**
   * The weights of the step begun, when it is a keyframe (the copy `begin` made, the parameters'
   * order), else null. The training step's NaN/Inf guard restores from this copy rather than
   * making a second one (trainStep's `before`).
   */
  weightsBefore(): readonly Data[] | null {
    return this.begun && this.pending !== null ? this.pending.weights : null;
  }

  /** Forgets a step begun and not ended. */
  abandon(): void {
    this.begun = false;
    if (this.pending !== null) this.spare = this.pending;
    this.pending = null;
  }

  /** Records a whole step given at once: a keyframe of its own, its weights copied. */
  push(input: StepRecordInput): void {
    this.begun = false;
    if (!this.recording) return;
    this.begin(
      input.weights.map((w) => ({ size: w.length, data: w, grad: null })),
      [],
      null,
    );
    const g = input.generators ?? NO_GENERATORS;
    this.pendingGenerators = g.length === 0 ? NO_GENERATORS : g.slice();
    this.end(input, input.dataset ?? null);
  }

  private dropOldest(): void {
    const g = this.groups.shift()!;
    this.bytes -= g.bytes;
    this.count -= g.steps.length;
    this.spare = g.keyframe;
  }

  /** The records, oldest first. */
  all(): RecordedStep[] {
    const out: RecordedStep[] = [];
    for (const g of this.groups) for (const s of g.steps) out.push(s);
    return out;
  }

  get(step: number): RecordedStep | undefined {
    return this.path(step)?.record;
  }

  /** A recorded step with its keyframe and the steps between them, or undefined when it is not recorded. */
  path(step: number): StepPath | undefined {
    for (const g of this.groups) {
      const first = g.steps[0]?.step;
      if (first === undefined || step < first || step >= first + g.steps.length) continue;
      const i = step - first;
      return { keyframe: g.keyframe, between: g.steps.slice(0, i), record: g.steps[i] };
    }
    return undefined;
  }

  /** Forgets the steps after `step` (training goes on from an earlier point: they are another future). */
  truncateAfter(step: number): void {
    while (this.groups.length > 0) {
      const g = this.groups.at(-1)!;
      while (g.steps.length > 0 && g.steps.at(-1)!.step > step) {
        const s = g.steps.pop()!;
        g.bytes -= s.bytes;
        this.bytes -= s.bytes;
        this.count--;
      }
      if (g.steps.length > 0) break;
      this.groups.pop();
    }
    this.chainBroken = true;
  }

  clear(): void {
    this.groups = [];
    this.count = 0;
    this.bytes = 0;
    this.begun = false;
    this.pending = null;
    this.chainBroken = true;
  }
}

function hasGrad(grad: unknown): boolean {
  return grad !== null && grad !== undefined && !(grad as { isDisposed?: boolean }).isDisposed;
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MB`;
}
