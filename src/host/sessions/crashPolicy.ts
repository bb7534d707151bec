/** Automatic restarts stop after this many crashes within CRASH_WINDOW_MS. */
export const MAX_CRASHES = 3;
export const CRASH_WINDOW_MS = 5 * 60 * 1000;

/** Counts a session's crashes in a sliding window and says whether to restart it again. */
export class CrashPolicy {
  private crashes: number[] = [];

  constructor(
    private readonly max = MAX_CRASHES,
    private readonly windowMs = CRASH_WINDOW_MS,
  ) {}

  /** Records a crash at `now`; returns how many fell in the window (this one included). */
  record(now: number): number {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    return this.crashes.length;
  }

  shouldRestart(now: number): boolean {
    return this.crashes.filter((t) => now - t < this.windowMs).length < this.max;
  }

  /** A restart the user asked for explicitly starts a fresh count. */
  reset(): void {
    this.crashes = [];
  }
}

export function isOutOfMemory(err: Error | null): boolean {
  return (err as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/** One sentence on why a session worker stopped. */
export function describeCrash(err: Error | null, code: number | null, heapLimitMb: number): string {
  if (isOutOfMemory(err)) {
    return `The session ran out of memory (its limit is ${heapLimitMb} MB): reduce the batch size or the layer sizes.`;
  }
  if (err !== null) return `The session's worker crashed: ${err.message}.`;
  return `The session's worker stopped unexpectedly (exit code ${code ?? 'unknown'}).`;
}
