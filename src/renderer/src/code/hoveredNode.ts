import { useSyncExternalStore } from 'react';

// The node under the pointer on the canvas, for the Code tab (its lines are selected while the
// node is hovered). Kept out of the document store: hovering is not an edit and not undoable.
let hovered: string | null = null;
const listeners = new Set<() => void>();

export function setHoveredNode(id: string | null): void {
  if (hovered === id) return;
  hovered = id;
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The id of the canvas node under the pointer, or null. */
export function useHoveredNode(): string | null {
  return useSyncExternalStore(subscribe, () => hovered);
}
