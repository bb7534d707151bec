import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppState } from './appState';
import { appStore } from './store';

/**
 * Reads a slice of the app state; the component re-renders only when the slice changes
 * (shallow comparison, so returning an object or array of fields is fine).
 *
 * @example const { doc, selection } = useApp((s) => ({ doc: s.doc, selection: s.selection }));
 */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, useShallow(selector));
}
