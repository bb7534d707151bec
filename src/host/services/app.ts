import type { Handlers } from '../host';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly electron: string | null;
  readonly mode: 'electron' | 'browser' | 'headless';
}

export function appHandlers(info: AppInfo): Pick<Handlers, 'app.version' | 'app.ping'> {
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
  };
}
