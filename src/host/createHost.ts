import { Host, type Handlers } from './host';
import { appHandlers, dialogHandlers, DocumentStates, type AppInfo, type DialogProvider } from './services/app';

export interface HostOptions {
  readonly app: AppInfo;
  /** Native dialogs (Electron only). */
  readonly dialogs?: DialogProvider;
  /** Shared with Electron's main process, which reads it for window titles and the close prompt. */
  readonly documents?: DocumentStates;
}

/** Builds the one Host that Electron's IPC, the web server and tests all bind to. */
export function createHost(options: HostOptions): Host {
  const documents = options.documents ?? new DocumentStates();
  const handlers: Handlers = {
    ...appHandlers(options.app, documents),
    ...dialogHandlers(options.dialogs),
  };
  return new Host(handlers);
}
