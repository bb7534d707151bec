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

/** An edge tensor as a training step hands it over: a copy of its values, or its summary when larger than a preview. */
export type EdgeCapture = TensorValues | TensorSummary;

/** What a training step keeps of an edge tensor (`trainStep`'s summarize callback while recording). */
export function captureTensor(t: {
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'float64';
  readonly size: number;
  readonly data: Float32Array | Float64Array;
}): EdgeCapture {
  return t.size <= MAX_PREVIEW_VALUES
    ? { shape: [...t.shape], dtype: t.dtype, data: t.data.slice(0, t.size) }
    : summarize(t.data, t.shape, t.dtype);
}

/** The summary the step would have sent (summarizeTensor's, exactly). */
export const summaryOf = (c: EdgeCapture): TensorSummary => ('data' in c ? summarize(c.data, c.shape, c.dtype) : c);

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

/** A recorded edge tensor: its values when they fit a preview, else its packed summary. */
type RecordedEdge = TensorValues | PackedSummary;

const recordEdge = (c: EdgeCapture): RecordedEdge => ('data' in c ? c : pack(c));

const edgeSummary = (e: RecordedEdge): TensorSummary => ('data' in e ? summaryOf(e) : unpack(e));

const edgeBytes = (e: RecordedEdge): number =>
  SUMMARY_OVERHEAD +
  ('data' in e ? e.data.byteLength : e.stats.byteLength + e.preview.byteLength + e.counts.byteLength);

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
  readonly weights: readonly (Float32Array | Float64Array)[];
  /** The step's gradient of each parameter, in the same order (null: the loss does not reach it). */
  readonly parameterGradients: readonly (Float32Array | Float64Array | null)[];
  /** What the step kept of its edge tensors (captureTensor); the recorder keeps them as they are. */
  readonly activations: Readonly<Record<string, EdgeCapture>>;
  readonly gradients: Readonly<Record<string, EdgeCapture>>;
}

export interface StepRecord {
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
  readonly accuracy: number | null;
  readonly indices: Int32Array;
  readonly weights: readonly (Float32Array | Float64Array)[];
  readonly parameterGradients: readonly (Float32Array | Float64Array | null)[];
  readonly activations: ReadonlyMap<string, RecordedEdge>;
  readonly gradients: ReadonlyMap<string, RecordedEdge>;
  /** What this record counts against the budget. */
  readonly bytes: number;
}

/**
 * The last steps of training in a ring buffer that never holds more than `budgetBytes`. How many
 * steps that is follows from the network: the capacity is the budget over the largest step
 * recorded so far (at most `maxSteps`), so a small MLP keeps hundreds of steps and a CNN a few
 * dozen. A step larger than the whole budget is not recorded, and `note` says why.
 */
export class TrainingRecorder {
  private slots: (StepRecord | undefined)[] = [];
  /** Index of the oldest record in `slots`, and how many there are. */
  private head = 0;
  private count = 0;
  private largest = 0;
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

  push(input: StepRecordInput): void {
    const rec = this.record(input);
    if (rec.bytes > this.largest) {
      this.largest = rec.bytes;
      this.capacity = Math.min(this.maxSteps, Math.floor(this.budgetBytes / rec.bytes));
      this.note =
        this.capacity === 0
          ? `One step of this network takes ${mb(rec.bytes)} to record, more than the ${mb(this.budgetBytes)} kept for time travel.`
          : null;
    }
    if (this.capacity === 0) {
      this.clear();
      return;
    }
    const cap = this.capacity!;
    // Re-laid when the capacity changed (a larger batch in a later run): oldest first.
    if (this.slots.length !== cap) {
      const kept = this.all().slice(-cap);
      this.slots = new Array<StepRecord | undefined>(cap);
      kept.forEach((r, i) => (this.slots[i] = r));
      this.head = 0;
      this.count = kept.length;
      this.bytes = kept.reduce((a, r) => a + r.bytes, 0);
    }
    while (this.count > 0 && (this.count >= cap || this.bytes + rec.bytes > this.budgetBytes)) this.dropOldest();
    this.slots[(this.head + this.count) % cap] = rec;
    this.count++;
    this.bytes += rec.bytes;
  }

  private record(input: StepRecordInput): StepRecord {
    const pk = (o: Readonly<Record<string, EdgeCapture>>) =>
      new Map(Object.entries(o).map(([k, c]) => [k, recordEdge(c)] as const));
    const activations = pk(input.activations);
    const gradients = pk(input.gradients);
    const weights = input.weights.map((w) => w.slice());
    const parameterGradients = input.parameterGradients.map((g) => g?.slice() ?? null);
    const indices = Int32Array.from(input.indices);
    let bytes = STEP_OVERHEAD + indices.byteLength;
    for (const w of weights) bytes += w.byteLength;
    for (const g of parameterGradients) bytes += g?.byteLength ?? 0;
    for (const [k, e] of [...activations, ...gradients]) bytes += edgeBytes(e) + 2 * k.length;
    return {
      step: input.step,
      epoch: input.epoch,
      batch: input.batch,
      loss: input.loss,
      accuracy: input.accuracy,
      indices,
      weights,
      parameterGradients,
      activations,
      gradients,
      bytes,
    };
  }

  private dropOldest(): void {
    const rec = this.slots[this.head]!;
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.slots.length;
    this.count--;
    this.bytes -= rec.bytes;
  }

  /** The records, oldest first. */
  all(): StepRecord[] {
    const out: StepRecord[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.slots[(this.head + i) % this.slots.length]!);
    return out;
  }

  get(step: number): StepRecord | undefined {
    return this.all().find((r) => r.step === step);
  }

  /** Forgets the steps after `step` (training goes on from an earlier point: they are another future). */
  truncateAfter(step: number): void {
    while (this.count > 0) {
      const i = (this.head + this.count - 1) % this.slots.length;
      const last = this.slots[i]!;
      if (last.step <= step) break;
      this.slots[i] = undefined;
      this.count--;
      this.bytes -= last.bytes;
    }
  }

  clear(): void {
    this.slots = [];
    this.head = 0;
    this.count = 0;
    this.bytes = 0;
  }

  /** A record's edge summaries as the live step sent them. */
  static summaries(rec: StepRecord): {
    activations: Record<string, TensorSummary>;
    gradients: Record<string, TensorSummary>;
  } {
    const un = (m: ReadonlyMap<string, RecordedEdge>) =>
      Object.fromEntries([...m].map(([k, e]) => [k, edgeSummary(e)] as const));
    return { activations: un(rec.activations), gradients: un(rec.gradients) };
  }
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MB`;
}
