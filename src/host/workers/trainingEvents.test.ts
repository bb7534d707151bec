import { describe, it, expect } from 'vitest';
import { MAX_SERIES_POINTS, RateGate, SeriesBuffer } from './trainingEvents';

describe('SeriesBuffer', () => {
  it('never holds more than the maximum, keeps the first and last step, and tells clients when to reset', () => {
    const s = new SeriesBuffer();
    let clientCopy: number[] = [];
    for (let i = 1; i <= 10_000; i++) {
      s.push({ step: i, epoch: 0, loss: 1 / i, accuracy: null });
      if (i % 7 === 0) {
        const t = s.take();
        if (t) clientCopy = t.reset ? t.points.map((p) => p.step) : [...clientCopy, ...t.points.map((p) => p.step)];
        expect(clientCopy.length).toBeLessThanOrEqual(MAX_SERIES_POINTS);
      }
      expect(s.points.length).toBeLessThanOrEqual(MAX_SERIES_POINTS);
    }
    const t = s.take();
    if (t) clientCopy = t.reset ? t.points.map((p) => p.step) : [...clientCopy, ...t.points.map((p) => p.step)];
    expect(clientCopy).toEqual(s.points.map((p) => p.step));
    expect(s.points[s.points.length - 1].step).toBe(10_000);
    expect(s.points.length).toBeGreaterThan(MAX_SERIES_POINTS / 2);
    // Merged points average their neighbours' losses.
    expect(s.points[0].loss).toBeLessThan(1);
  });
});

describe('RateGate', () => {
  it('opens at most once per interval', () => {
    const g = new RateGate(100);
    let opened = 0;
    for (let t = 0; t < 1000; t += 5) {
      if (g.due(t)) {
        g.mark(t);
        opened++;
      }
    }
    expect(opened).toBe(10);
  });
});
