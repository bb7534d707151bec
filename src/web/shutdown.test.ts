import { afterEach, describe, expect, it, vi } from 'vitest';
import { STOP_GRACE_MS, stopWithin } from './shutdown';

afterEach(() => {
  vi.useRealTimers();
});

describe('stopping the web server', () => {
  it('exits after the grace period when closing never finishes (a stuck worker)', () => {
    vi.useFakeTimers();
    const exit = vi.fn();
    stopWithin(new Promise(() => undefined), exit);
    vi.advanceTimersByTime(STOP_GRACE_MS - 1);
    expect(exit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(exit).toHaveBeenCalledWith(0);
    expect(STOP_GRACE_MS).toBeLessThan(2000);
  });

  it('exits as soon as closing finishes, failed or not', async () => {
    for (const closing of [Promise.resolve(), Promise.reject(new Error('worker gone'))]) {
      const exit = vi.fn();
      stopWithin(
        closing.catch(() => undefined),
        exit,
      );
      await closing.catch(() => undefined);
      await Promise.resolve();
      await Promise.resolve();
      expect(exit).toHaveBeenCalledWith(0);
    }
  });
});
