/** How long a stop waits for the server and the session workers to close before exiting anyway. */
export const STOP_GRACE_MS = 1500;

/**
 * Stops the process once `closing` settles, or after `graceMs` whatever is still running (a
 * session worker stuck in a read, a client that never closes): SIGTERM always ends the server
 * within 2 s. Exits with 0 either way, as a stop that was asked for.
 */
export function stopWithin(closing: Promise<unknown>, exit: (code: number) => void, graceMs = STOP_GRACE_MS): void {
  const timer = setTimeout(() => exit(0), graceMs);
  void closing.finally(() => {
    clearTimeout(timer);
    exit(0);
  });
}
