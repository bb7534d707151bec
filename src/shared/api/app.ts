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
