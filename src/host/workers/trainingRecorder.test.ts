import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/tensor/rng';
import type { StepRecordInput } from './trainingRecorder';
import { loadGenerators, saveGenerators, TrainingRecorder } from './trainingRecorder';
import { full, zeros } from '../../engine/tensor/create';
import { SGD } from '../../engine/optim/sgd';

/**
 * A step of an MLP of `width` hidden units (2 → width → 3) over a batch of `batch`, with random
 * weights and `dropouts` generators' states.
 */
function fakeStep(step: number, width: number, batch: number, rng: Rng, dropouts = 0): StepRecordInput {
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  return {
    step,
    epoch: 1 + Math.floor(step / 8),
    batch: 1 + (step % 8),
    loss: 1 / step,
    accuracy: 0.5,
    indices: Array.from({ length: batch }, (_, i) => i),
    weights: [rand(width * 2), rand(width), rand(3 * width), rand(3)],
    generators: saveGenerators(Array.from({ length: dropouts }, () => new Rng(rng.nextUint32()))),
  };
}

describe('time-travel recorder', () => {
  it('never holds more than its budget, and derives the steps it keeps from the size of a step', () => {
    const rng = new Rng(1);
    const budget = 1 << 20;
    const kept: Record<number, number> = {};
    for (const width of [8, 128, 2048]) {
      const r = new TrainingRecorder(budget, 10_000);
      for (let s = 1; s <= 400; s++) {
        // The last batch of an epoch is smaller, as in training.
        r.push(fakeStep(s, width, s % 8 === 0 ? 16 : 32, rng, 1));
        expect(r.bytes).toBeLessThanOrEqual(budget);
        const all = r.all();
        expect(all.reduce((a, x) => a + x.bytes, 0)).toBe(r.bytes);
        expect(all.at(-1)!.step).toBe(s);
      }
      const full = r.all();
      // The capacity is the budget over the bytes of a step kept, and the newest steps are the ones kept, in order.
      expect(r.capacity).toBe(Math.floor((budget * full.length) / r.bytes));
      expect(full.map((x) => x.step)).toEqual(Array.from({ length: full.length }, (_, i) => 401 - full.length + i));
      kept[width] = r.size;
    }
    // A wider network keeps fewer steps in the same budget; a step counts its weights' bytes.
    expect(kept[8]).toBe(400);
    expect(kept[128]).toBeGreaterThan(kept[2048]);
    expect(kept[2048]).toBeGreaterThan(0);
    expect(kept[2048]).toBeLessThan(Math.ceil(budget / (4 * 6 * 2048)));
  });

  it('caps the steps of a tiny network, and refuses a step larger than the budget with a reason', () => {
    const rng = new Rng(2);
    const capped = new TrainingRecorder(1 << 24, 100);
    for (let s = 1; s <= 250; s++) capped.push(fakeStep(s, 4, 4, rng));
    expect(capped.size).toBe(100);
    expect(capped.all()[0].step).toBe(151);
    const tiny = new TrainingRecorder(10_000, 100);
    tiny.push(fakeStep(1, 1024, 32, rng));
    expect(tiny.recording).toBe(false);
    expect(tiny.size).toBe(0);
    expect(tiny.bytes).toBe(0);
    expect(tiny.note).toMatch(/more than the 0\.01 MB kept for time travel/);
  });

  it('grows its step size when a later run records larger steps, still within the budget', () => {
    const rng = new Rng(3);
    const budget = 1 << 18;
    const r = new TrainingRecorder(budget, 10_000);
    for (let s = 1; s <= 200; s++) r.push(fakeStep(s, 16, 8, rng));
    const small = r.capacity!;
    for (let s = 201; s <= 400; s++) {
      r.push(fakeStep(s, 16, 512, rng));
      expect(r.bytes).toBeLessThanOrEqual(budget);
    }
    expect(r.capacity!).toBeLessThan(small);
    expect(r.all().at(-1)!.step).toBe(400);
  });

  it('keeps a keyframe every few steps, at a new run, after a pause or a gap, and reuses the storage of those it forgets', () => {
    const params = [zeros([3], { requiresGrad: true }), zeros([2], { requiresGrad: true })];
    const opt = new SGD(params, { lr: 0.1, momentum: 0.9 });
    let clock = 0;
    // Room for three groups of four steps and a few more (a keyframe with its momentum buffers and its steps: 1,288 bytes).
    const r = new TrainingRecorder(5_000, 1000, { keyframeSteps: 4, keyframeMs: 100, now: () => clock });
    let step = 0;
    const train = (n: number, msPerStep = 1): void => {
      for (let i = 0; i < n; i++) {
        clock += msPerStep;
        r.begin(params, [], opt);
        const kf = r.weightsBefore();
        expect(kf === null || kf[0].every((v, j) => v === params[0].data[j])).toBe(true);
        // The step: gradients, the optimizer's update.
        step++;
        params.forEach((p) => (p.grad = full(p.shape, step)));
        opt.step();
        r.end({ step, epoch: 1, batch: step, loss: 1 / step, accuracy: null, indices: [step] });
      }
    };
    const keyframes = (): number[] => [...new Set(r.all().map((x) => r.path(x.step)!.keyframe.step))];
    train(10);
    expect(keyframes()).toEqual([1, 5, 9]);
    // A keyframe holds the weights and the optimizer's state before its step.
    const kf5 = r.path(7)!.keyframe;
    expect(Array.from(kf5.weights[1])).toEqual(Array.from(r.path(5)!.keyframe.weights[1]));
    expect(kf5.state!.steps).toBe(4);
    expect(r.path(7)!.between.map((x) => x.step)).toEqual([5, 6]);
    // Slow steps: one every keyframeMs at most.
    train(2, 150);
    expect(keyframes()).toEqual([1, 5, 9, 11, 12]);
    // A new run or a pause breaks the chain; a step that does not follow the last one is not kept.
    r.breakChain();
    train(1);
    expect(keyframes().at(-1)).toBe(13);
    r.begin(params, [], opt);
    r.end({ step: 14, epoch: 1, batch: 1, loss: 1, accuracy: null, indices: [1] });
    r.begin(params, [], opt);
    r.end({ step: 20, epoch: 1, batch: 1, loss: 1, accuracy: null, indices: [1] });
    expect(r.all().at(-1)!.step).toBe(14);
    step = 19;
    train(1);
    expect(r.path(20)!.keyframe.step).toBe(20);
    // Within budget all along, the oldest keyframes gone with their steps; their arrays are reused.
    expect(keyframes()[0]).toBe(5);
    expect(r.bytes).toBeLessThanOrEqual(5_000);
    expect(r.bytes).toBe(r.all().reduce((a, x) => a + x.bytes, 0));
    train(40, 150);
    expect(r.bytes).toBeLessThanOrEqual(5_000);
    // Once the ring is full, a keyframe takes the arrays of the one forgotten before it (the last forgotten aside).
    const seen = new Set(r.all().map((x) => r.path(x.step)!.keyframe.weights[0].buffer));
    train(40, 150);
    const now = new Set(r.all().map((x) => r.path(x.step)!.keyframe.weights[0].buffer));
    expect([...now].filter((b) => !seen.has(b)).length).toBeLessThanOrEqual(1);
  });

  it('records a step as the training loop hands it in: weights and generators before the step, batch after', () => {
    const r = new TrainingRecorder(1 << 24, 3);
    const params = [Float32Array.from([1, 2, 3]), Float64Array.from([4, 5])];
    const dropout = new Rng(8);
    const drawn: number[][] = [];
    for (let s = 1; s <= 5; s++) {
      r.begin(
        params.map((data) => ({ size: data.length, data })),
        [dropout],
      );
      const before = params.map((p) => p.slice());
      // The step draws its masks and updates the weights after the recorder took them.
      drawn[s] = [dropout.next(), dropout.next()];
      params.forEach((p) => p.fill(10 * s));
      r.end({ step: s, epoch: 1, batch: s, loss: 1 / s, accuracy: null, indices: [s, s + 1] });
      const rec = r.get(s)!;
      // Without an optimizer every step is a keyframe of its own.
      expect(r.path(s)!.keyframe.weights).toEqual(before);
      expect(r.path(s)!.between).toEqual([]);
      expect(Array.from(rec.indices)).toEqual([s, s + 1]);
      expect(rec.dataset).toBeNull();
      // An evaluation between steps (a step begun that trains nothing) forgets no record.
      r.begin(params.map((data) => ({ size: data.length, data })));
      r.abandon();
      expect(r.size).toBe(Math.min(s, 3));
    }
    expect(r.all().map((x) => x.step)).toEqual([3, 4, 5]);
    // A generator loaded with a step's state draws that step's masks again.
    for (const rec of r.all()) {
      const again = new Rng(0);
      loadGenerators([again], rec.generators);
      expect([again.next(), again.next()]).toEqual(drawn[rec.step]);
    }
    expect(() => loadGenerators([], r.all()[0].generators)).toThrow(/recorded 1 random generators; the model has 0/);
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
});
