import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LatestOnly } from './latestOnly';

/** A job whose runs the test finishes by hand, counting how many are in flight at once. */
function controlledJob() {
  const runs: { finish: () => void; current: () => boolean; answered: boolean }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const job = (current: () => boolean) =>
    new Promise<void>((resolve) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const run = {
        current,
        answered: false,
        finish: () => {
          inFlight--;
          // What the live preview does with an answer: shown only if nothing superseded it.
          run.answered = current();
          resolve();
        },
      };
      runs.push(run);
    });
  return { job, runs, inFlight: () => inFlight, maxInFlight: () => maxInFlight };
}

/** Lets the promise callbacks of a finished run (its `finally`) happen. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('LatestOnly (the live preview scheduler)', () => {
  it('runs once for a burst of requests within the debounce', async () => {
    const c = controlledJob();
    const s = new LatestOnly(c.job, 100);
    for (let i = 0; i < 20; i++) {
      s.request();
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(c.runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(c.runs).toHaveLength(1);
  });

  it('keeps at most one run in flight and queues none: 30 requests during a run cost exactly one more run, of the latest', async () => {
    const c = controlledJob();
    const s = new LatestOnly(c.job, 10);
    s.request();
    await vi.advanceTimersByTimeAsync(10);
    expect(c.runs).toHaveLength(1);
    for (let i = 0; i < 30; i++) {
      s.request();
      await vi.advanceTimersByTimeAsync(10);
      expect(c.inFlight()).toBe(1);
    }
    // The run in flight was superseded by the first of those requests.
    expect(c.runs[0]!.current()).toBe(false);
    c.runs[0]!.finish();
    await settle();
    expect(c.runs).toHaveLength(2);
    expect(c.runs[1]!.current()).toBe(true);
    c.runs[1]!.finish();
    await settle();
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.runs).toHaveLength(2);
    expect(c.maxInFlight()).toBe(1);
    expect(c.runs.map((r) => r.answered)).toEqual([false, true]);
  });

  it('a request during a run that fails still gets its run', async () => {
    let calls = 0;
    let fail: (e: Error) => void = () => undefined;
    const s = new LatestOnly(
      () =>
        new Promise<void>((_resolve, reject) => {
          calls++;
          fail = reject;
        }),
      0,
    );
    s.request();
    await settle();
    s.request();
    await settle();
    expect(calls).toBe(1);
    fail(new Error('the host refused'));
    await settle();
    expect(calls).toBe(2);
  });

  it('cancel drops the waiting request and supersedes the run in flight', async () => {
    const c = controlledJob();
    const s = new LatestOnly(c.job, 10);
    s.request();
    await vi.advanceTimersByTimeAsync(10);
    s.request();
    await vi.advanceTimersByTimeAsync(10);
    s.cancel();
    c.runs[0]!.finish();
    await settle();
    await vi.advanceTimersByTimeAsync(100);
    expect(c.runs).toHaveLength(1);
    expect(c.runs[0]!.answered).toBe(false);
    expect(s.busy).toBe(false);
  });
});
