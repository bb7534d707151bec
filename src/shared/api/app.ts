import { z } from 'zod';
import { method } from './method';

/** The `app` service: who is answering, and a round trip for liveness checks. */
export const appMethods = {
  'app.version': method(
    z.object({}).strict(),
    z.object({
      name: z.string(),
      version: z.string(),
      /** Electron's version, or null in browser mode. */
      electron: z.string().nullable(),
      node: z.string(),
      platform: z.string(),
      mode: z.enum(['electron', 'browser', 'headless']),
    }),
  ),
  'app.ping': method(
    z.object({ nonce: z.string().max(256) }).strict(),
    z.object({ nonce: z.string(), receivedAt: z.number() }),
  ),
  /** The renderer reports its document's title and unsaved state; the window title and the close prompt use it. */
  'app.setDocumentState': method(z.object({ title: z.string().max(500), dirty: z.boolean() }).strict(), z.object({})),
};

/**
 * Native file dialogs: the desktop app only. In browser mode they answer `unavailable` and the
 * renderer uses upload and download instead.
 */
export const dialogMethods = {
  'dialog.openProject': method(z.object({}).strict(), z.object({ path: z.string().nullable() })),
  'dialog.saveProject': method(
    z.object({ suggestedName: z.string().max(255).optional() }).strict(),
    z.object({ path: z.string().nullable() }),
  ),
};

export const menuCommands = [
  'file.new',
  'file.open',
  'file.save',
  'file.saveAs',
  'file.openExample',
  'edit.undo',
  'edit.redo',
  'edit.cut',
  'edit.copy',
  'edit.paste',
  'edit.delete',
  'edit.selectAll',
  'view.zoomIn',
  'view.zoomOut',
  'view.fit',
  'view.presenter',
  'view.livePreview',
  'view.livePreviewGradients',
  'view.unrollThroughTime',
  'view.timeTravel',
  'view.togglePanels',
  'view.toggleDarkMode',
  'help.shortcuts',
  'help.about',
] as const;
export type MenuCommand = (typeof menuCommands)[number];

export const appEvents = {
  /** The native menu (Electron) asks the renderer to run one of its registered actions. */
  'menu.command': z.object({ command: z.enum(menuCommands) }),
};
