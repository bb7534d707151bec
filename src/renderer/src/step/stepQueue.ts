import { getState, setRun } from '../state/store';
import type { StepRun } from './stepTypes';

/**
 * Step commands run one at a time, and a command asked for while another is in flight is
 * refused, not queued: clicks made while the session starts must not all run once it is ready
 * (one click, one step). The toolbar shows the command in flight with a spinner and disables
 * the buttons meanwhile.
 */
let queue: Promise<unknown> = Promise.resolve();

/** Run before each step command: time travel goes back to the present (training/timeTravel.ts). */
let beforeCommand: () => void = () => undefined;

/**
 * Sets what runs before each step command. A step command acts on the step session, so a recorded
 * training step shown on the canvas gives way to the present first, not mixed with the new pass.
 */
export function setBeforeStepCommand(f: () => void): void {
  beforeCommand = f;
}

export function patch(f: (run: StepRun) => StepRun): void {
  setRun(f(getState().run));
}

/**
 * Runs the user's command `what` unless another is in flight (then it returns undefined at once).
 * Its failure is shown in the step bar, not in a toast.
 */
export function serial<T>(what: string, f: () => Promise<T>): Promise<T | undefined> {
  if (getState().run.busy !== null) return Promise.resolve(undefined);
  beforeCommand();
  // Marked busy now, in the caller's event: a second click in the same frame is refused too.
  patch((r) => ({ ...r, busy: what }));
  const next = queue.then(async () => {
    try {
      const answer = await f();
      patch((r) => ({ ...r, error: null }));
      return answer;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      patch((r) => ({ ...r, error: `${what} failed: ${message}` }));
      return undefined;
    } finally {
      patch((r) => ({ ...r, busy: null }));
    }
  });
  queue = next;
  return next;
}

/** Runs `f` after the command in flight, without the busy flag: for reads the UI asks for itself. */
export function enqueue<T>(f: () => Promise<T>): Promise<T> {
  const answer = queue.then(f);
  queue = answer.catch(() => undefined);
  return answer;
}
