/**
 * Undo/redo over immutable document snapshots. Documents are replaced, never mutated, so a
 * snapshot is just a reference and unchanged nodes are shared between snapshots.
 */
export interface History<T> {
  readonly past: readonly T[];
  readonly future: readonly T[];
}

export const HISTORY_LIMIT = 200;

export function emptyHistory<T>(): History<T> {
  return { past: [], future: [] };
}

/** Records `before` as the state to return to; clears the redo stack. */
export function record<T>(h: History<T>, before: T): History<T> {
  const past = h.past.length >= HISTORY_LIMIT ? h.past.slice(1) : h.past.slice();
  past.push(before);
  return { past, future: [] };
}

/** Returns the state to restore and the new history, or undefined when there is nothing to undo. */
export function undo<T>(h: History<T>, current: T): { state: T; history: History<T> } | undefined {
  if (h.past.length === 0) return undefined;
  const state = h.past[h.past.length - 1];
  return { state, history: { past: h.past.slice(0, -1), future: [...h.future, current] } };
}

export function redo<T>(h: History<T>, current: T): { state: T; history: History<T> } | undefined {
  if (h.future.length === 0) return undefined;
  const state = h.future[h.future.length - 1];
  return { state, history: { past: [...h.past, current], future: h.future.slice(0, -1) } };
}
