// Bounded, coalesced training events: the worker posts the progress, metrics and edge summaries of
// a run together, about four messages a second (each message wakes the host's thread, and on a
// loaded machine every wake-up costs the training thread its turn), and every series stays
// ≤ MAX_SERIES_POINTS.

export const MAX_SERIES_POINTS = 1000;
/** Progress, per-batch metrics and epoch points are flushed at most this often. */
export const FLUSH_INTERVAL_MS = 250;
/** Edge summaries are computed at most this often, on a flushed batch (the glyphs refresh about 4 times a second). */
export const EDGE_INTERVAL_MS = 250;

export interface SeriesPoint {
  step: number;
  epoch: number;
  loss: number | null;
  accuracy: number | null;
}

/**
 * A series of at most `max` points: when full, neighbouring points are merged in pairs
 * (averaged, keeping the later step), so the whole run stays visible at half the resolution.
 */
export class SeriesBuffer {
  points: SeriesPoint[] = [];
  /** Points pushed since the last `take()`; null once a compaction made the client's copy stale. */
  private fresh: SeriesPoint[] | null = [];

  constructor(readonly max = MAX_SERIES_POINTS) {}

  push(p: SeriesPoint): void {
    if (this.points.length >= this.max) {
      const merged: SeriesPoint[] = [];
      for (let i = 0; i + 1 < this.points.length; i += 2) merged.push(mergePoints(this.points[i], this.points[i + 1]));
      if (this.points.length % 2 === 1) merged.push(this.points[this.points.length - 1]);
      this.points = merged;
      this.fresh = null;
    }
    this.points.push(p);
    this.fresh?.push(p);
  }

  /** What a client must apply: the new points, or (after a compaction) the whole series. */
  take(): { points: SeriesPoint[]; reset: boolean } | null {
    if (this.fresh !== null && this.fresh.length === 0) return null;
    const out = this.fresh === null ? { points: [...this.points], reset: true } : { points: this.fresh, reset: false };
    this.fresh = [];
    return out;
  }
}

function avg(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return (a + b) / 2;
}

function mergePoints(a: SeriesPoint, b: SeriesPoint): SeriesPoint {
  return { step: b.step, epoch: b.epoch, loss: avg(a.loss, b.loss), accuracy: avg(a.accuracy, b.accuracy) };
}

/** A gate that opens at most once per `intervalMs`. */
export class RateGate {
  private last = -Infinity;
  constructor(private readonly intervalMs: number) {}
  due(now: number): boolean {
    return now - this.last >= this.intervalMs;
  }
  mark(now: number): void {
    this.last = now;
  }
}
