import { HostError } from '../errors';
import type { Handlers } from '../host';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly electron: string | null;
  readonly mode: 'electron' | 'browser' | 'headless';
}

export interface DocumentState {
  readonly title: string;
  readonly dirty: boolean;
}

/** What each client (window or socket) last said about its document. */
export class DocumentStates {
  private readonly states = new Map<string, DocumentState>();
  private readonly listeners = new Set<(clientId: string, state: DocumentState) => void>();

  set(clientId: string, state: DocumentState): void {
    this.states.set(clientId, state);
    for (const listener of this.listeners) listener(clientId, state);
  }

  get(clientId: string): DocumentState | undefined {
    return this.states.get(clientId);
  }

  onChange(listener: (clientId: string, state: DocumentState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Native file dialogs, supplied by Electron's main process; absent in browser and headless mode. */
export interface DialogProvider {
  openProject(clientId: string): Promise<string | null>;
  saveProject(clientId: string, suggestedName: string | undefined): Promise<string | null>;
}

export function appHandlers(
  info: AppInfo,
  documents: DocumentStates,
): Pick<Handlers, 'app.version' | 'app.ping' | 'app.setDocumentState'> {
  return {
    'app.version': async () => ({
      name: info.name,
      version: info.version,
      electron: info.electron,
      node: process.versions.node,
      platform: process.platform,
      mode: info.mode,
    }),
    'app.ping': async ({ nonce }) => ({ nonce, receivedAt: Date.now() }),
    'app.setDocumentState': async (state, ctx) => {
      documents.set(ctx.clientId, state);
      return {};
    },
  };
}

/**
 * The dialogs' handlers. A path the user chose is granted (`grant`): only such paths, the recent
 * files, the examples and the data folder are read or written by the host (files/fileAccess.ts).
 */
export function dialogHandlers(
  dialogs: DialogProvider | undefined,
  grant: (path: string) => void,
): Pick<Handlers, 'dialog.openProject' | 'dialog.saveProject'> {
  const provider = (): DialogProvider => {
    if (!dialogs)
      throw new HostError(
        'unavailable',
        'File dialogs belong to the desktop app; in the browser, open and save with upload and download.',
      );
    return dialogs;
  };
  return {
    'dialog.openProject': async (_req, ctx) => {
      const path = await provider().openProject(ctx.clientId);
      if (path !== null) grant(path);
      return { path };
    },
    'dialog.saveProject': async ({ suggestedName }, ctx) => {
      const path = await provider().saveProject(ctx.clientId, suggestedName);
      if (path !== null) grant(path);
      return { path };
    },
  };
}
