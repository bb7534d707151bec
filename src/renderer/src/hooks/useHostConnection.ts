import { useEffect } from 'react';
import { host } from '../api/connection';
import { runAction } from '../actions/registry';
import { setHost } from '../state/store';

/** Native editing commands for the Edit menu while the user types in a text field. */
const TEXT_COMMANDS: Readonly<Record<string, string>> = {
  'edit.undo': 'undo',
  'edit.redo': 'redo',
  'edit.cut': 'cut',
  'edit.copy': 'copy',
  'edit.delete': 'delete',
  'edit.selectAll': 'selectAll',
};

/**
 * Edit → Undo (or Copy, …) from the native menu while a text field has the focus means the
 * field's text, not the graph. Returns true when the command was handled that way.
 */
function editInTextField(command: string): boolean {
  const el = document.activeElement;
  const typing =
    el instanceof HTMLInputElement ||
    el instanceof HTMLTextAreaElement ||
    (el instanceof HTMLElement && el.isContentEditable);
  if (!typing || !command.startsWith('edit.')) return false;
  const native = TEXT_COMMANDS[command];
  // execCommand is deprecated but remains the only way to run the field's own undo stack; paste
  // is left to the keyboard (browsers refuse a scripted paste).
  if (native) document.execCommand(native);
  return true;
}

/** Tracks the connection to the host, reads its version, and runs the native menu's commands. */
export function useHostConnection(): void {
  useEffect(() => {
    const api = host();
    let cancelled = false;
    const offStatus = api.onStatus((status) => {
      setHost({ status });
      if (status === 'connected') {
        api
          .invoke('app.version', {})
          .then((v) => !cancelled && setHost({ version: v.version, mode: v.mode }))
          .catch(() => !cancelled && setHost({ version: null }));
      }
    });
    const offMenu = api.on('menu.command', ({ command }) => {
      if (!editInTextField(command)) void runAction(command);
    });
    return () => {
      cancelled = true;
      offStatus();
      offMenu();
    };
  }, []);
}
