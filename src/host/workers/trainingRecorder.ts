// Time travel through training: the last training steps of a session, kept in a ring buffer
// bounded by a byte budget. A step keeps only what cannot be computed again: the weights it
// computed with (before its update), its batch (indices into its run's data set), its loss and
// accuracy, and the state of every random generator it drew from (each Dropout's). Everything
// else the canvas showed of it — every edge's activation and gradient, every parameter's
// gradient — is recomputed on replay by running the step's forward and backward pass again from
// those (stepReplay.ts): the same arithmetic on the same values and masks, so the same numbers.
import type { Dataset } from '../../engine/train/dataset';
import type { GraphModel } from '../../engine/runtime/compile';
import { Dropout } from '../../engine/nn/dropout';
import type { Rng } from '../../engine/tensor/rng';
import { RNG_STATE_SIZE } from '../../engine/tensor/rng';
import { MAX_RECORDED_STEPS } from '../../shared/api/training';

/** The default budget of one session's record: a few thousand steps of the course's small MLPs. */
export const RECORD_BUDGET_BYTES = 8 * 2 ** 20;
/** The most steps kept, however small the network (training.history answers them all). */
export const RECORD_MAX_STEPS = MAX_RECORDED_STEPS;
/** Bytes counted for a step besides its typed arrays (the slot object, its arrays of arrays). */
const STEP_OVERHEAD = 512;
/** Bytes counted for each typed array besides its values (the view and its buffer's header). */
const ARRAY_OVERHEAD = 96;

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

/** One training step as it is given to the recorder at once (push). */
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

/** A recorded step, as replay reads it. */
export interface StepRecord {
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
  readonly accuracy: number | null;
  readonly indices: Int32Array;
  readonly weights: readonly Data[];
  /** The step's generators' states before it drew (stepGenerators' order, RNG_STATE_SIZE numbers each). */
  readonly generators: Float64Array;
  /** The data set of the step's run, which its indices point into (null: the session's current one). */
  readonly dataset: Dataset | null;
  /** What this record counts against the budget: the storage of its slot. */
  readonly bytes: number;
}

/**
 * A ring slot: the storage of one step. Its arrays are handed over by the recorder, which copied
 * the step's weights and generator states into them before the step, and get the previous
 * occupant's arrays in exchange (nothing is allocated once every slot has been written).
 */
class Slot implements StepRecord {
  step = 0;
  epoch = 0;
  batch = 0;
  loss = 0;
  accuracy: number | null = null;
  bytes = 0;
  weights: Data[] = [];
  generators: Float64Array = new Float64Array(0);
  dataset: Dataset | null = null;
  private idx = new Int32Array(0);
  private idxLength = 0;

  get indices(): Int32Array {
    return this.idx.subarray(0, this.idxLength);
  }

  setIndices(indices: readonly number[]): void {
    if (this.idx.length < indices.length) this.idx = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) this.idx[i] = indices[i];
    this.idxLength = indices.length;
  }

  /** Ends the step: its numbers and data set, and the bytes its storage holds. */
  finish(
    input: { step: number; epoch: number; batch: number; loss: number; accuracy: number | null },
    dataset: Dataset | null,
  ): void {
    this.step = input.step;
    this.epoch = input.epoch;
    this.batch = input.batch;
    this.loss = input.loss;
    this.accuracy = input.accuracy;
    this.dataset = dataset;
    let bytes = STEP_OVERHEAD + ARRAY_OVERHEAD + this.idx.byteLength + ARRAY_OVERHEAD + this.generators.byteLength;
    for (const w of this.weights) bytes += ARRAY_OVERHEAD + w.byteLength;
    this.bytes = bytes;
  }
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

/**
 * The last steps of training in a ring buffer that never holds more than `budgetBytes`. How many
 * steps that is follows from the network: the capacity is the budget over the largest step
 * recorded so far (at most `maxSteps`), so a small MLP keeps thousands of steps and a CNN with
 * millions of weights a few. A step larger than the whole budget is not recorded, and `note` says why.
 *
 * The training loop hands a step in two calls: `begin` before it (the weights it computes with and
 * its generators' states, copied aside), `end` after it trained (its batch and numbers). The copies
 * made aside become the record, the storage of the record the ring forgets becomes the next step's
 * copies: recording allocates nothing per step.
 */
export class TrainingRecorder {
  private slots: Slot[] = [];
  /** Index of the oldest record in `slots`, and how many there are. */
  private head = 0;
  private count = 0;
  private largest = 0;
  /** A step is begun: its weights are in `pending`, its generators' states in `pendingGenerators`. */
  private begun = false;
  private pending: Data[] = [];
  private pendingGenerators: Float64Array = new Float64Array(0);
  /** Bytes held now: never more than the budget. */
  bytes = 0;
  /** Steps the budget holds for this network (null until the first step is measured). */
  capacity: number | null = null;
  /** Why nothing is recorded (a step larger than the budget), else null. */
  note: string | null = null;

  constructor(
    readonly budgetBytes = RECORD_BUDGET_BYTES,
    readonly maxSteps = RECORD_MAX_STEPS,
  ) {}

  /** Whether the training loop should hand its steps in (false once a step proved too large). */
  get recording(): boolean {
    return this.capacity !== 0;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Starts recording a step: the parameters' current values (the weights it computes with) and
   * its generators' states, copied aside. They become a record only when the step turns out to
   * be a training step (`end`), so an epoch's evaluation or a stop forgets no record.
   */
  begin(params: readonly { readonly size: number; readonly data: Data }[], generators: readonly Rng[] = []): void {
    this.begun = false;
    if (!this.recording) return;
    this.copyWeights(params);
    this.pendingGenerators = saveGenerators(generators, this.pendingGenerators);
    this.begun = true;
  }

  private copyWeights(params: readonly { readonly size: number; readonly data: Data }[]): void {
    if (this.pending.length !== params.length) this.pending = new Array<Data>(params.length);
    for (let i = 0; i < params.length; i++) this.pending[i] = copyInto(this.pending[i], params[i].data, params[i].size);
  }

  /** A free slot: the next one, else the oldest record's, which is forgotten now. */
  private take(): Slot {
    const cap = this.capacity ?? 1;
    if (this.count < cap) return (this.slots[(this.head + this.count) % cap] ??= new Slot());
    const slot = this.slots[this.head];
    this.dropOldest();
    return slot;
  }

  /** Ends the step begun: it trained on `indices` of `dataset` (null: the session's current one). */
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
  ): void {
    if (!this.begun) return;
    this.begun = false;
    const slot = this.take();
    // The copies made in `begin` become the record; the slot's old storage takes their place.
    const weights = slot.weights;
    slot.weights = this.pending;
    this.pending = weights;
    const generators = slot.generators;
    slot.generators = this.pendingGenerators;
    this.pendingGenerators = generators;
    slot.setIndices(input.indices);
    slot.finish(input, dataset);
    this.commit(slot);
  }

  /**
   * The weights of the step begun, copied aside in `begin` (the parameters' order), or null when
   * no step is begun. The training step's NaN/Inf guard restores from this copy rather than
   * making a second one (trainStep's `before`); it is the step's record only once `end` is called.
   */
  weightsBefore(): readonly Data[] | null {
    return this.begun ? this.pending : null;
  }

  /** Forgets a step begun and not ended. */
  abandon(): void {
    this.begun = false;
  }

  /** Records a whole step given at once (copied into a slot like a step of the training loop). */
  push(input: StepRecordInput): void {
    this.begun = false;
    if (!this.recording) return;
    this.copyWeights(input.weights.map((w) => ({ size: w.length, data: w })));
    const g = input.generators ?? new Float64Array(0);
    if (this.pendingGenerators.length !== g.length) this.pendingGenerators = new Float64Array(g.length);
    this.pendingGenerators.set(g);
    this.begun = true;
    this.end(input, input.dataset ?? null);
  }

  private commit(slot: Slot): void {
    if (slot.bytes > this.largest) {
      this.largest = slot.bytes;
      this.capacity = Math.min(this.maxSteps, Math.floor(this.budgetBytes / slot.bytes));
      this.note =
        this.capacity === 0
          ? `One step of this network takes ${mb(slot.bytes)} to record, more than the ${mb(this.budgetBytes)} kept for time travel.`
          : null;
    }
    if (this.capacity === 0) {
      this.clear();
      return;
    }
    const cap = this.capacity!;
    // Re-laid when the capacity changed (the first step measured, a larger batch in a later run): oldest first.
    // The slot being committed is not among the records yet; the others are dropped with their storage.
    if (this.slots.length !== cap) {
      const older = this.all().filter((r) => r !== slot);
      const kept = older.slice(Math.max(0, older.length - (cap - 1)));
      this.slots = new Array<Slot>(cap);
      kept.forEach((r, i) => (this.slots[i] = r as Slot));
      this.head = 0;
      this.count = kept.length;
      this.bytes = kept.reduce((a, r) => a + r.bytes, 0);
      this.slots[this.count] = slot;
    }
    while (this.count > 0 && (this.count >= cap || this.bytes + slot.bytes > this.budgetBytes)) this.dropOldest();
    const i = (this.head + this.count) % cap;
    if (this.slots[i] !== slot) {
      // The slot taken moved in the ring (records dropped for a larger step): swap it in.
      const j = this.slots.indexOf(slot);
      if (j >= 0) this.slots[j] = this.slots[i];
      this.slots[i] = slot;
    }
    this.count++;
    this.bytes += slot.bytes;
  }

  private dropOldest(): void {
    const rec = this.slots[this.head];
    this.head = (this.head + 1) % this.slots.length;
    this.count--;
    this.bytes -= rec.bytes;
  }

  /** The records, oldest first. */
  all(): StepRecord[] {
    const out: StepRecord[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.slots[(this.head + i) % this.slots.length]);
    return out;
  }

  get(step: number): StepRecord | undefined {
    return this.all().find((r) => r.step === step);
  }

  /** Forgets the steps after `step` (training goes on from an earlier point: they are another future). */
  truncateAfter(step: number): void {
    while (this.count > 0) {
      const i = (this.head + this.count - 1) % this.slots.length;
      const last = this.slots[i];
      if (last.step <= step) break;
      this.count--;
      this.bytes -= last.bytes;
    }
  }

  clear(): void {
    this.slots = [];
    this.head = 0;
    this.count = 0;
    this.bytes = 0;
    this.begun = false;
  }
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MB`;
}
