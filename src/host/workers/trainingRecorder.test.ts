import { describe, expect, it } from 'vitest';
import { summarize } from '../../engine/runtime/tensorSummary';
import { Rng } from '../../engine/tensor/rng';
import type { StepRecordInput } from './trainingRecorder';
import { captureTensor, pack, summaryOf, TrainingRecorder, unpack } from './trainingRecorder';

/** A step of an MLP of `width` hidden units over a batch of `batch`, with real summaries of random values. */
function fakeStep(step: number, width: number, batch: number, rng: Rng): StepRecordInput {
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  const edge = (n: number) =>
    captureTensor({ shape: [batch, n], dtype: 'float32', size: batch * n, data: rand(batch * n) });
  return {
    step,
    epoch: 1 + Math.floor(step / 8),
    batch: 1 + (step % 8),
    loss: 1 / step,
    accuracy: 0.5,
    indices: Array.from({ length: batch }, (_, i) => i),
    weights: [rand(width * 2), rand(width), rand(3 * width), rand(3)],
    parameterGradients: [rand(width * 2), rand(width), rand(3 * width), null],
    activations: { e1: edge(2), e2: edge(width), e3: edge(width), e4: edge(3) },
    gradients: { e2: edge(width), e3: edge(width), e4: edge(3) },
  };
}

describe('time-travel recorder', () => {
  it('never holds more than its budget, and derives the steps it keeps from the size of a step', () => {
    const rng = new Rng(1);
    const budget = 1 << 20;
    const kept: Record<number, number> = {};
    for (const width of [8, 32, 128]) {
      const r = new TrainingRecorder(budget, 10_000);
      for (let s = 1; s <= 400; s++) {
        // The last batch of an epoch is smaller, as in training.
        r.push(fakeStep(s, width, s % 8 === 0 ? 16 : 32, rng));
        expect(r.bytes).toBeLessThanOrEqual(budget);
        const all = r.all();
        expect(all.reduce((a, x) => a + x.bytes, 0)).toBe(r.bytes);
        expect(all.at(-1)!.step).toBe(s);
      }
      const full = r.all();
      // The capacity is the budget over a full step, and the newest steps are the ones kept, in order.
      expect(r.capacity).toBe(Math.floor(budget / Math.max(...full.map((x) => x.bytes))));
      expect(full.map((x) => x.step)).toEqual(Array.from({ length: full.length }, (_, i) => 401 - full.length + i));
      kept[width] = r.size;
    }
    // A wider network keeps fewer steps in the same budget.
    expect(kept[8]).toBeGreaterThan(kept[32]);
    expect(kept[32]).toBeGreaterThan(kept[128]);
    expect(kept[128]).toBeGreaterThan(0);
  });

  it('caps the steps of a tiny network, and refuses a step larger than the budget with a reason', () => {
    const rng = new Rng(2);
    const capped = new TrainingRecorder(1 << 24, 100);
    for (let s = 1; s <= 250; s++) capped.push(fakeStep(s, 4, 4, rng));
    expect(capped.size).toBe(100);
    expect(capped.all()[0].step).toBe(151);
    const tiny = new TrainingRecorder(10_000, 100);
    tiny.push(fakeStep(1, 256, 32, rng));
    expect(tiny.recording).toBe(false);
    expect(tiny.size).toBe(0);
    expect(tiny.bytes).toBe(0);
    expect(tiny.note).toMatch(/more than the 0\.01 MB kept for time travel/);
  });

  it('grows its step size when a later run records larger steps, still within the budget', () => {
    const rng = new Rng(3);
    const budget = 1 << 20;
    const r = new TrainingRecorder(budget, 10_000);
    for (let s = 1; s <= 200; s++) r.push(fakeStep(s, 16, 8, rng));
    const small = r.capacity!;
    for (let s = 201; s <= 400; s++) {
      r.push(fakeStep(s, 16, 64, rng));
      expect(r.bytes).toBeLessThanOrEqual(budget);
    }
    expect(r.capacity!).toBeLessThan(small);
    expect(r.all().at(-1)!.step).toBe(400);
  });

  it('writes each step into storage allocated once per slot, reused as the ring wraps', () => {
    const rng = new Rng(7);
    const r = new TrainingRecorder(1 << 24, 4);
    const steps = Array.from({ length: 9 }, (_, i) => fakeStep(i + 1, 8, 8, rng));
    for (const s of steps.slice(0, 4)) r.push(s);
    const first = r.all().map((x) => [x.weights[0], x.parameterGradients[0]]);
    for (const s of steps.slice(4)) r.push(s);
    // Steps 6–9 are in the four slots steps 1–4 had, in the same arrays, with their own values.
    const now = r.all();
    expect(now.map((x) => x.step)).toEqual([6, 7, 8, 9]);
    const arrays = new Set(first.flat());
    for (const x of now) {
      expect(arrays.has(x.weights[0])).toBe(true);
      expect(arrays.has(x.parameterGradients[0])).toBe(true);
      const input = steps[x.step - 1];
      expect(x.weights).toEqual(input.weights);
      expect(x.parameterGradients).toEqual(input.parameterGradients);
      expect(Array.from(x.indices)).toEqual(input.indices);
      const { activations, gradients } = TrainingRecorder.summaries(x);
      for (const [k, c] of Object.entries(input.activations)) expect(activations[k]).toEqual(summaryOf(c));
      for (const [k, c] of Object.entries(input.gradients)) expect(gradients[k]).toEqual(summaryOf(c));
    }
  });

  it('records a step handed in piece by piece as the training loop does (weights before the step, edges during it)', () => {
    const rng = new Rng(8);
    const r = new TrainingRecorder(1 << 24, 3);
    const params = [Float32Array.from([1, 2, 3]), Float64Array.from([4, 5])];
    for (let s = 1; s <= 5; s++) {
      r.begin(params.map((data) => ({ size: data.length, data })));
      const before = params.map((p) => p.slice());
      // The step's update after its weights were taken: the record keeps those it computed with.
      params.forEach((p) => p.fill(10 * s));
      const t = {
        shape: [2, 3],
        dtype: 'float32' as const,
        size: 6,
        data: Float32Array.from({ length: 6 }, () => rng.normal()),
      };
      const live = summarize(t.data, t.shape, t.dtype);
      const edges = { activations: { e1: r.capture(t) }, gradients: {} };
      // The live step's summary is made from the capture, before the next step overwrites anything.
      expect(summaryOf(edges.activations.e1)).toEqual(live);
      r.end(
        { step: s, epoch: 1, batch: s, loss: 1 / s, accuracy: null, indices: [s, s + 1] },
        [
          { size: 3, data: Float32Array.of(s, s, s) },
          { size: 2, data: null },
        ],
        edges,
      );
      const rec = r.get(s)!;
      expect(rec.weights).toEqual(before);
      expect(rec.parameterGradients).toEqual([Float32Array.of(s, s, s), null]);
      expect(TrainingRecorder.summaries(rec).activations.e1).toEqual(live);
      // An evaluation between steps (a step begun that trains nothing) forgets no record.
      r.begin(params.map((data) => ({ size: data.length, data })));
      r.abandon();
      expect(r.size).toBe(Math.min(s, 3));
    }
    expect(r.all().map((x) => x.step)).toEqual([3, 4, 5]);
  });

  it('forgets the steps after a point, and finds a step by number', () => {
    const rng = new Rng(4);
    const r = new TrainingRecorder(1 << 20, 50);
    for (let s = 1; s <= 80; s++) r.push(fakeStep(s, 8, 8, rng));
    r.truncateAfter(60);
    expect(r.all().map((x) => x.step)).toEqual(Array.from({ length: 30 }, (_, i) => 31 + i));
    expect(r.bytes).toBe(r.all().reduce((a, x) => a + x.bytes, 0));
    expect(r.get(45)?.step).toBe(45);
    expect(r.get(61)).toBeUndefined();
    r.push(fakeStep(61, 8, 8, rng));
    expect(r.all().at(-1)!.step).toBe(61);
  });

  it('replays the summaries of recorded edges as the step made them, small (values) and large (summary)', () => {
    const rng = new Rng(6);
    const r = new TrainingRecorder(1 << 24, 10);
    const tensors = {
      small: {
        shape: [32, 16],
        dtype: 'float32' as const,
        size: 512,
        data: Float32Array.from({ length: 512 }, () => rng.normal()),
      },
      large: {
        shape: [8, 4, 28, 28],
        dtype: 'float64' as const,
        size: 25088,
        data: Float64Array.from({ length: 25088 }, () => rng.normal()),
      },
    };
    const captures = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, captureTensor(t)]));
    r.push({ ...fakeStep(1, 4, 4, rng), activations: captures, gradients: { small: captures.small } });
    const { activations, gradients } = TrainingRecorder.summaries(r.get(1)!);
    for (const [k, t] of Object.entries(tensors)) expect(activations[k]).toEqual(summarize(t.data, t.shape, t.dtype));
    expect(gradients.small).toEqual(summarize(tensors.small.data, tensors.small.shape, 'float32'));
    // The large tensor costs its summary, not its 200 KB of values.
    expect(r.bytes).toBeLessThan(100_000);
  });

  it('unpacks a summary equal to the one packed: NaN and ±Infinity too, in float32 and float64', () => {
    const rng = new Rng(5);
    for (const dtype of ['float32', 'float64'] as const) {
      const values = Array.from({ length: 6000 }, () => rng.normal() * 1e3);
      const data = dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
      data[3] = NaN;
      data[40] = Infinity;
      data[41] = -Infinity;
      const s = summarize(data, [60, 100], dtype);
      expect(unpack(pack(s))).toEqual(s);
      const empty = summarize(new Float32Array([NaN, NaN]), [2], 'float32');
      expect(unpack(pack(empty))).toEqual(empty);
    }
  });
});
