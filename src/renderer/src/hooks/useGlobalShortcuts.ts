import { useEffect } from 'react';
import { actionForKey, runAction } from '../actions/registry';
import { getState } from '../state/store';

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || !!target.closest('.monaco-editor');
}

/** Shortcuts that still apply while typing in a field. */
const GLOBAL_IN_FIELDS = new Set([
  'file.save',
  'file.saveAs',
  'file.open',
  'file.new',
  'help.shortcuts',
  'view.toggleDarkMode',
  'view.togglePanels',
]);

/**
 * Commands whose keys are also browser commands the page may keep (open a file, reload): their
 * default is prevented even where the command does not run (in a field, under a dialog), so a
 * stray F5 never reloads the app in browser mode.
 */
const KEPT_FROM_BROWSER = new Set(['file.open', 'step.runForward', 'step.runBackward', 'step.reset']);

/**
 * Routes key presses to registered actions. Copy, cut and paste go through the browser's own
 * clipboard events, which may write and read the system clipboard without a permission prompt.
 */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.isComposing) return;
      const action = actionForKey(e);
      if (!action) return;
      if (KEPT_FROM_BROWSER.has(action.name)) e.preventDefault();
      if (getState().ui.dialog) return;
      if (isEditable(e.target) && !GLOBAL_IN_FIELDS.has(action.name)) return;
      e.preventDefault();
      void runAction(action.name);
    };
    const clip = (name: string) => (e: ClipboardEvent) => {
      if (isEditable(e.target) || getState().ui.dialog) return;
      const s = getState();
      if (name !== 'edit.paste' && s.selection.nodes.length === 0) return;
      e.preventDefault();
      void runAction(name, { clipboardData: e.clipboardData });
    };
    const onCopy = clip('edit.copy');
    const onCut = clip('edit.cut');
    const onPaste = clip('edit.paste');
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCut);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCut);
      document.removeEventListener('paste', onPaste);
    };
  }, []);
}
