import { getState, notify, setRun } from '../state/store';
import type { StepRun } from './stepTypes';

/**
 * Step commands run one after another: a held shortcut queues them rather than interleaving two
 * passes on the host.
 */
let queue: Promise<unknown> = Promise.resolve();

export function patch(f: (run: StepRun) => StepRun): void {
  setRun(f(getState().run));
}

/** Runs commands one after another (a held shortcut queues them rather than interleaving). */
export function serial<T>(what: string, f: () => Promise<T>): Promise<T | undefined> {
  const next = queue.then(async () => {
    patch((r) => ({ ...r, busy: true }));
    try {
      return await f();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      patch((r) => ({ ...r, error: `${what} failed: ${message}` }));
      notify(`${what} failed: ${message}`, 'error', 7000);
      return undefined;
    } finally {
      patch((r) => ({ ...r, busy: false }));
    }
  });
  queue = next;
  return next;
}

/** Runs `f` in the queue without the command's busy flag and toast: the caller shows its failure. */
export function enqueue<T>(f: () => Promise<T>): Promise<T> {
  const answer = queue.then(f);
  queue = answer.catch(() => undefined);
  return answer;
}
