// Frame-interval measurement in a Playwright page: the time between requestAnimationFrame
// callbacks while something drives the page, and its statistics. Shared by the frame benchmarks
// and the step e2e's printed glyph-repaint measurement.
import type { Page } from '@playwright/test';

/**
 * Intervals (ms) between animation frames while `drive` runs, plus `tailMs` after it (frames a
 * change schedules may land after the call that caused it returns). Unsorted, in frame order.
 */
export async function recordFrames(page: Page, drive: () => Promise<void>, tailMs = 0): Promise<number[]> {
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks,
  // and the bench files are type-checked without the DOM library.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    const tick = () => {
      // performance.now() rather than the frame timestamp: headless Chromium can hand two
      // callbacks the same timestamp when it catches up, which would hide the long frame.
      window.__frames.push(performance.now());
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await drive();
  if (tailMs > 0) await page.waitForTimeout(tailMs);
  const stamps = (await page.evaluate('(window.__recording = false, window.__frames)')) as number[];
  const intervals: number[] = [];
  for (let i = 1; i < stamps.length; i++) intervals.push(stamps[i]! - stamps[i - 1]!);
  return intervals;
}

/** The nearest-rank `p`th percentile (0–100) of ascending `sorted`; NaN when it is empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface FrameSummary {
  frames: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/** Count, median, 95th percentile and maximum of frame intervals (any order), in ms to 0.01. */
export function summarizeFrames(intervals: readonly number[]): FrameSummary {
  const sorted = [...intervals].sort((a, b) => a - b);
  const round = (ms: number): number => +ms.toFixed(2);
  return {
    frames: sorted.length,
    medianMs: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted.length === 0 ? NaN : sorted[sorted.length - 1]!),
  };
}
