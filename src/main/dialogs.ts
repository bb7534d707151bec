import { BrowserWindow, dialog, webContents } from 'electron';
import type { DialogProvider } from '../host/services/app';

const projectFilters = [
  { name: 'Backprop Studio project', extensions: ['bps.json', 'json'] },
  { name: 'All files', extensions: ['*'] },
];

function windowOf(clientId: string): BrowserWindow | undefined {
  const id = Number(clientId.replace(/^webContents:/, ''));
  const contents = Number.isInteger(id) ? webContents.fromId(id) : undefined;
  return (contents && BrowserWindow.fromWebContents(contents)) ?? BrowserWindow.getFocusedWindow() ?? undefined;
}

/** Native open and save dialogs, each attached to the window that asked. */
export const electronDialogs: DialogProvider = {
  async openProject(clientId) {
    const win = windowOf(clientId);
    const options = { title: 'Open project', properties: ['openFile' as const], filters: projectFilters };
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  async saveProject(clientId, suggestedName) {
    const win = windowOf(clientId);
    const options = {
      title: 'Save project',
      defaultPath: suggestedName ?? 'untitled.bps.json',
      filters: projectFilters,
    };
    const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return result.canceled ? null : (result.filePath ?? null);
  },
};
