import { Host, type Handlers } from './host';
import { appHandlers, type AppInfo } from './services/app';

export interface HostOptions {
  readonly app: AppInfo;
}

/** Builds the one Host that Electron's IPC, the web server and tests all bind to. */
export function createHost(options: HostOptions): Host {
  const handlers: Handlers = {
    ...appHandlers(options.app),
  };
  return new Host(handlers);
}
