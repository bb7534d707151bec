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
