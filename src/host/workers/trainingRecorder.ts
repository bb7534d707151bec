// Time travel through training: the last training steps of a session, kept in a ring buffer
// bounded by a byte budget. Each step keeps what the canvas and the plots showed of it live —
// the weights the step computed with, its batch, loss and accuracy, and every edge's activation
// and gradient — in typed arrays, so its size is counted exactly. An edge tensor small enough to
// fit a summary's preview is kept as its values (a copy costs less than a summary, and the
// summary made from it on replay is the one the step would have sent); a larger one is kept as
// its summary, packed.
import { summarize } from '../../engine/runtime/tensorSummary';
import type { TensorSummary } from '../../shared/api/tensor';
import { MAX_PREVIEW_VALUES } from '../../shared/api/tensor';

/** A copy of a small tensor's values. */
export interface TensorValues {
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'float64';
  readonly data: Float32Array | Float64Array;
}

/**
 * An edge tensor as a training step hands it over: a copy of its values, or its summary when larger
 * than a preview; while recording, the recorder's store of it (its values in the step's ring slot).
 */
export type EdgeCapture = TensorValues | TensorSummary | EdgeStore;

/** An edge tensor as the training step has it (a Tensor, or its parts). */
export interface TensorSource {
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'float64';
  readonly size: number;
  readonly data: Float32Array | Float64Array;
}

/** What a training step keeps of an edge tensor when it is not recorded (a copy, or a summary). */
export function captureTensor(t: TensorSource): EdgeCapture {
  return t.size <= MAX_PREVIEW_VALUES
    ? { shape: [...t.shape], dtype: t.dtype, data: t.data.slice(0, t.size) }
    : summarize(t.data, t.shape, t.dtype);
}

/** The summary the step would have sent (summarizeTensor's, exactly). */
export const summaryOf = (c: EdgeCapture): TensorSummary =>
  c instanceof EdgeStore ? c.summary() : 'data' in c ? summarize(c.data, c.shape, c.dtype) : c;

/** The default budget of one session's record: about 250 steps of the course's small MLPs. */
export const RECORD_BUDGET_BYTES = 8 * 2 ** 20;
/** The most steps kept, however small the network. */
export const RECORD_MAX_STEPS = 512;
/** Bytes counted for a packed summary besides its typed arrays (the object, its small arrays). */
const SUMMARY_OVERHEAD = 256;
/** Bytes counted for a step besides its typed arrays and summaries. */
const STEP_OVERHEAD = 512;

/** A tensor summary in typed arrays; `unpack` gives back an equal summary. */
interface PackedSummary {
  readonly dtype: 'float32' | 'float64';
  readonly shape: readonly number[];
  /** min, max, mean, std, l2 (NaN for null). */
  readonly stats: Float64Array;
  readonly nanCount: number;
  readonly infCount: number;
  readonly previewShape: readonly number[];
  /** The preview's values (NaN for null), in the tensor's precision: they are its values. */
  readonly preview: Float32Array | Float64Array;
  readonly histMin: number;
  readonly histMax: number;
  readonly counts: Int32Array;
}

const orNaN = (v: number | null): number => (v === null ? NaN : v);
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export function pack(s: TensorSummary): PackedSummary {
  const values = s.preview.values.map(orNaN);
  return {
    dtype: s.dtype,
    shape: [...s.shape],
    stats: Float64Array.of(orNaN(s.min), orNaN(s.max), orNaN(s.mean), orNaN(s.std), orNaN(s.l2)),
    nanCount: s.nanCount,
    infCount: s.infCount,
    previewShape: [...s.preview.shape],
    preview: s.dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values),
    histMin: s.histogram.min,
    histMax: s.histogram.max,
    counts: Int32Array.from(s.histogram.counts),
  };
}

export function unpack(p: PackedSummary): TensorSummary {
  return {
    shape: [...p.shape],
    dtype: p.dtype,
    min: orNull(p.stats[0]),
    max: orNull(p.stats[1]),
    mean: orNull(p.stats[2]),
    std: orNull(p.stats[3]),
    l2: orNull(p.stats[4]),
    nanCount: p.nanCount,
    infCount: p.infCount,
    preview: { shape: [...p.previewShape], values: Array.from(p.preview, orNull) },
    histogram: { min: p.histMin, max: p.histMax, counts: Array.from(p.counts) },
  };
}

type Data = Float32Array | Float64Array;

/**
 * One edge tensor of a ring slot: a buffer allocated the first time the slot records the edge and
 * written again each time the ring comes round to it (TypedArray.set, nothing allocated), or — for a
 * tensor larger than a preview — its packed summary. It is what the training step's edge summaries
 * hold while the step is live (an `EdgeCapture`: `shape`, `dtype` and `data` of the step's values).
 */
export class EdgeStore {
  shape: readonly number[] = [];
  dtype: 'float32' | 'float64' = 'float32';
  /** The values (a view of `buf` as long as the tensor), or null when the tensor is kept as a summary. */
  data: Data | null = null;
  packed: PackedSummary | null = null;
  private buf: Data | null = null;

  /** Copies `t` in; true when the storage changed size (the slot's bytes are to be counted again). */
  write(t: TensorSource): boolean {
    // The tensor's shape array is never changed once made: kept by reference, not copied.
    this.shape = t.shape;
    this.dtype = t.dtype;
    if (t.size > MAX_PREVIEW_VALUES) {
      this.packed = pack(summarize(t.data, t.shape, t.dtype));
      this.data = null;
      this.buf = null;
      return true;
    }
    let resized = this.packed !== null;
    this.packed = null;
    let buf = this.buf;
    if (buf === null || buf.length < t.size || (t.dtype === 'float64') !== buf instanceof Float64Array) {
      buf = this.buf = t.dtype === 'float64' ? new Float64Array(t.size) : new Float32Array(t.size);
      this.data = buf;
      resized = true;
    }
    if (t.data.length === t.size) buf.set(t.data);
    else buf.set(t.data.subarray(0, t.size));
    // A view only when the length changes (the last, smaller batch of an epoch, and back).
    if (this.data === null || this.data.length !== t.size)
      this.data = t.size === buf.length ? buf : buf.subarray(0, t.size);
    return resized;
  }

  /** Keeps a summary handed in (of a tensor larger than a preview). */
  writeSummary(s: TensorSummary): void {
    this.shape = s.shape;
    this.dtype = s.dtype;
    this.packed = pack(s);
    this.data = null;
    this.buf = null;
  }

  get bytes(): number {
    return (
      SUMMARY_OVERHEAD +
      (this.packed !== null
        ? this.packed.stats.byteLength + this.packed.preview.byteLength + this.packed.counts.byteLength
        : (this.buf?.byteLength ?? 0))
    );
  }

  summary(): TensorSummary {
    return this.packed !== null ? unpack(this.packed) : summarize(this.data!, this.shape, this.dtype);
  }
}

/** One training step as it is given to the recorder. */
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
  /** The step's gradient of each parameter, in the same order (null: the loss does not reach it). */
  readonly parameterGradients: readonly (Data | null)[];
  /** What the step kept of its edge tensors (captureTensor); the recorder copies them in. */
  readonly activations: Readonly<Record<string, EdgeCapture>>;
  readonly gradients: Readonly<Record<string, EdgeCapture>>;
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
  readonly parameterGradients: readonly (Data | null)[];
  /** What this record counts against the budget: the storage of its slot. */
  readonly bytes: number;
}

/** The edge tensors of a step as trainStep hands them over: edge id → what `capture` returned. */
type EdgeMaps = {
  readonly activations: Readonly<Record<string, unknown>>;
  readonly gradients: Readonly<Record<string, unknown>>;
};

/**
 * A ring slot: the storage of one step, allocated the first time the slot is written (sized from
 * that step) and overwritten in place when the ring comes round to it. Anything only replay needs
 * (the gradients as nullable arrays, the exact indices, summaries) is made when replay asks.
 */
class Slot implements StepRecord {
  step = 0;
  epoch = 0;
  batch = 0;
  loss = 0;
  accuracy: number | null = null;
  bytes = 0;
  weights: Data[] = [];
  private grads: Data[] = [];
  private hasGrad = new Uint8Array(0);
  private idx = new Int32Array(0);
  private idxLength = 0;
  /** The step's edge maps (made by the training step either way), whose values are this slot's stores. */
  edges: EdgeMaps | null = null;
  /** Stores in the order of the step's capture calls. */
  private stores: EdgeStore[] = [];
  private used = 0;
  /** The storage changed size: count the bytes again. */
  private dirty = true;

  get indices(): Int32Array {
    return this.idx.subarray(0, this.idxLength);
  }

  get parameterGradients(): (Data | null)[] {
    return this.weights.map((_, i) => (this.hasGrad[i] === 1 ? this.grads[i] : null));
  }

  /** Starts the slot's step: the edge stores are written again from the first. */
  reset(): void {
    this.used = 0;
    this.edges = null;
  }

  setWeights(weights: readonly Data[]): void {
    if (this.weights.length !== weights.length) {
      this.weights = new Array<Data>(weights.length);
      this.grads = new Array<Data>(weights.length);
      this.hasGrad = new Uint8Array(weights.length);
      this.dirty = true;
    }
    for (let i = 0; i < weights.length; i++) {
      const w = copyInto(this.weights[i], weights[i], weights[i].length);
      if (w !== this.weights[i]) this.dirty = true;
      this.weights[i] = w;
    }
  }

  setGradient(i: number, g: Data | null, size: number): void {
    if (g === null) this.hasGrad[i] = 0;
    else {
      this.hasGrad[i] = 1;
      const c = copyInto(this.grads[i], g, size);
      if (c !== this.grads[i]) this.dirty = true;
      this.grads[i] = c;
    }
  }

  setIndices(indices: readonly number[]): void {
    if (this.idx.length < indices.length) {
      this.idx = new Int32Array(indices.length);
      this.dirty = true;
    }
    for (let i = 0; i < indices.length; i++) this.idx[i] = indices[i];
    this.idxLength = indices.length;
  }

  private next(): EdgeStore {
    if (this.used === this.stores.length) this.stores.push(new EdgeStore());
    return this.stores[this.used++];
  }

  capture(t: TensorSource): EdgeStore {
    const s = this.next();
    if (s.write(t)) this.dirty = true;
    return s;
  }

  captureSummary(summary: TensorSummary): EdgeStore {
    const s = this.next();
    s.writeSummary(summary);
    this.dirty = true;
    return s;
  }

  /** Ends the step: its numbers and edge maps; counts the slot's bytes when its storage changed. */
  finish(
    input: { step: number; epoch: number; batch: number; loss: number; accuracy: number | null },
    edges: EdgeMaps,
  ): void {
    this.step = input.step;
    this.epoch = input.epoch;
    this.batch = input.batch;
    this.loss = input.loss;
    this.accuracy = input.accuracy;
    this.edges = edges;
    if (this.stores.length > this.used) {
      this.stores.length = this.used;
      this.dirty = true;
    }
    if (!this.dirty) return;
    this.dirty = false;
    let bytes = STEP_OVERHEAD + this.idx.byteLength;
    for (const w of this.weights) bytes += w.byteLength;
    for (let i = 0; i < this.grads.length; i++) bytes += this.grads[i]?.byteLength ?? 0;
    for (let i = 0; i < this.used; i++) bytes += this.stores[i].bytes;
    for (const k in edges.activations) bytes += 2 * k.length;
    for (const k in edges.gradients) bytes += 2 * k.length;
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
 * recorded so far (at most `maxSteps`), so a small MLP keeps hundreds of steps and a CNN a few
 * dozen. A step larger than the whole budget is not recorded, and `note` says why.
 *
 * The training loop writes a step straight into its slot: `begin` (the weights it computes with),
 * `capture` for each edge tensor, `end` (its gradients, batch and numbers). Slots are allocated
 * once and overwritten as the ring wraps, so recording allocates nothing per step.
 */
export class TrainingRecorder {
  private slots: Slot[] = [];
  /** Index of the oldest record in `slots`, and how many there are. */
  private head = 0;
  private count = 0;
  private largest = 0;
  /** The slot the step in progress is written into (not yet among the records), else null. */
  private current: Slot | null = null;
  /** A step is begun: its weights are in `pending`. */
  private begun = false;
  private pending: Data[] = [];
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
   * Starts recording a step with the parameters' current values (the weights it computes with),
   * copied aside: the step's slot is taken only when the step turns out to be a training step
   * (its first edge tensor, or its end), so an epoch's evaluation or a stop forgets no record.
   */
  begin(params: readonly { readonly size: number; readonly data: Data }[]): void {
    this.current = null;
    this.begun = false;
    if (!this.recording) return;
    if (this.pending.length !== params.length) this.pending = new Array<Data>(params.length);
    for (let i = 0; i < params.length; i++) this.pending[i] = copyInto(this.pending[i], params[i].data, params[i].size);
    this.begun = true;
  }

  /** The slot of the step begun: the next free one, else the oldest record's, which is forgotten now. */
  private take(): Slot {
    const cap = this.capacity ?? 1;
    let slot: Slot;
    if (this.count < cap) slot = this.slots[(this.head + this.count) % cap] ??= new Slot();
    else {
      slot = this.slots[this.head];
      this.dropOldest();
    }
    slot.reset();
    this.current = slot;
    return slot;
  }

  /** An edge tensor of the step in progress, copied into its slot (trainStep's summarize callback). */
  capture(t: TensorSource): EdgeCapture {
    if (!this.begun) return captureTensor(t);
    return (this.current ?? this.take()).capture(t);
  }

  /** Ends the step begun: its parameters' gradients, batch, numbers and the edge maps of `capture`'s results. */
  end(
    input: {
      step: number;
      epoch: number;
      batch: number;
      loss: number;
      accuracy: number | null;
      indices: readonly number[];
    },
    gradients: readonly { readonly size: number; readonly data: Data | null }[],
    edges: EdgeMaps,
  ): void {
    if (!this.begun) return;
    const slot = this.current ?? this.take();
    this.current = null;
    this.begun = false;
    slot.setWeights(this.pending);
    for (let i = 0; i < gradients.length; i++) slot.setGradient(i, gradients[i].data, gradients[i].size);
    slot.setIndices(input.indices);
    slot.finish(input, edges);
    this.commit(slot);
  }

  /** Forgets a step begun and not ended (its slot is free again). */
  abandon(): void {
    this.current = null;
    this.begun = false;
  }

  /** Records a whole step given at once (copied into a slot like a step of the training loop). */
  push(input: StepRecordInput): void {
    const sizes = input.weights.map((w) => ({ size: w.length, data: w }));
    this.begin(sizes);
    if (!this.begun) return;
    const slot = this.take();
    const copy = (o: Readonly<Record<string, EdgeCapture>>) =>
      Object.fromEntries(
        Object.entries(o).map(([k, c]) => [
          k,
          'data' in c && c.data !== null
            ? slot.capture({ shape: c.shape, dtype: c.dtype, size: c.data.length, data: c.data })
            : slot.captureSummary(summaryOf(c)),
        ]),
      );
    const edges = { activations: copy(input.activations), gradients: copy(input.gradients) };
    this.end(
      input,
      input.parameterGradients.map((g, i) => ({ size: g?.length ?? input.weights[i].length, data: g })),
      edges,
    );
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
      // The slot given by `begin` moved in the ring (records dropped for a larger step): swap it in.
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
    this.current = null;
    this.begun = false;
  }

  /** A record's edge summaries as the live step sent them (made now, from the recorded values). */
  static summaries(rec: StepRecord): {
    activations: Record<string, TensorSummary>;
    gradients: Record<string, TensorSummary>;
  } {
    const edges = (rec as Slot).edges;
    const un = (m: Readonly<Record<string, unknown>> | undefined) =>
      Object.fromEntries(Object.entries(m ?? {}).map(([k, e]) => [k, (e as EdgeStore).summary()] as const));
    return { activations: un(edges?.activations), gradients: un(edges?.gradients) };
  }
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MB`;
}
