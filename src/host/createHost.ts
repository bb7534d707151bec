import { Host, type Handlers } from './host';
import { appHandlers, dialogHandlers, DocumentStates, type AppInfo, type DialogProvider } from './services/app';
import { createStudio, type StudioOptions } from './services/studio';
import { registerEngine } from '../engine/register';

export interface HostOptions {
  readonly app: AppInfo;
  /** Native dialogs (Electron only). */
  readonly dialogs?: DialogProvider;
  /** Shared with Electron's main process, which reads it for window titles and the close prompt. */
  readonly documents?: DocumentStates;
  /** Where recent files and autosaved work live (Electron: app.getPath('userData')). */
  readonly dataDir?: string;
  /** Bundled examples folder and session worker limits (tests and the CLI override them). */
  readonly studio?: Omit<StudioOptions, 'emit' | 'dataDir'>;
}

const closers = new WeakMap<Host, () => Promise<void>>();

/** Stops the host's session workers and records a clean shutdown (no crash recovery next start). */
export async function closeHost(host: Host): Promise<void> {
  await closers.get(host)?.();
}

/** Builds the one Host that Electron's IPC, the web server and tests all bind to. */
export function createHost(options: HostOptions): Host {
  registerEngine();
  const documents = options.documents ?? new DocumentStates();
  let host: Host | null = null;
  const studio = createStudio({
    ...options.studio,
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    emit: (event, payload) => host?.emit(event as never, payload as never),
  });
  const handlers: Handlers = {
    ...appHandlers(options.app, documents),
    ...dialogHandlers(options.dialogs, (p) => studio.files.grant(p)),
    ...studio.handlers,
  };
  host = new Host(handlers);
  closers.set(host, studio.close);
  return host;
}
