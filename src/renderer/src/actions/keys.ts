import type { HostState } from '../state/appState';
import type { Action } from './types';

/** Ctrl on Windows/Linux, ⌘ on macOS. */
export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function mod(e: KeyboardEvent): boolean {
  return isMac ? e.metaKey : e.ctrlKey;
}

/** `mod+shift+z`-style matcher on the produced key, case-insensitive. */
export function combo(
  key: string,
  opts: { mod?: boolean; shift?: boolean; alt?: boolean } = {},
): (e: KeyboardEvent) => boolean {
  const k = key.toLowerCase();
  return (e) =>
    e.key.toLowerCase() === k && mod(e) === !!opts.mod && e.shiftKey === !!opts.shift && e.altKey === !!opts.alt;
}

/** Formats a shortcut for display: "Ctrl+Shift+Z" or "⌘⇧Z". */
export function shortcutLabel(s: string): string {
  if (!isMac) return s;
  return s.replace('Ctrl+', '⌘').replace('Shift+', '⇧').replace('Alt+', '⌥');
}

/** The shortcut of `action` where the app runs: browser mode shows the one the browser leaves to the page. */
export function shortcutOf(action: Action, mode: HostState['mode']): string | undefined {
  return (mode === 'browser' && action.webShortcut) || action.shortcut;
}
