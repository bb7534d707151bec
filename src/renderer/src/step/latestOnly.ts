/**
 * Runs the newest of a stream of requests, one at a time, after a quiet spell: a request resets
 * the debounce timer; one made while the job is in flight becomes "the next run", replacing any
 * earlier waiting one (requests are never queued); and the run in flight learns through
 * `current()` that a newer request superseded it, so that it stops before its next round trip
 * and throws its answer away.
 *
 * @example
 * const preview = new LatestOnly(async (current) => { const a = await ask(); if (current()) show(a); }, 150);
 * preview.request(); preview.request(); // one run, 150 ms after the second request
 */
export class LatestOnly {
  private generation = 0;
  private running = false;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly job: (current: () => boolean) => Promise<void>,
    private readonly debounceMs = 0,
  ) {}

  /** Asks for a run with the latest state; earlier requests not yet answered are superseded. */
  request(): void {
    this.generation++;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.running) this.again = true;
      else this.start();
    }, this.debounceMs);
  }

  /** Drops the waiting request and supersedes the run in flight (its answer is thrown away). */
  cancel(): void {
    this.generation++;
    this.again = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Whether a run is in flight. */
  get busy(): boolean {
    return this.running;
  }

  private start(): void {
    this.running = true;
    const mine = this.generation;
    void this.job(() => mine === this.generation)
      .catch(() => undefined)
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.start();
        }
      });
  }
}
