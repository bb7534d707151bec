import { createApiClient } from './client';
import type { ApiClient } from './client';
import { createTransport } from './transport';

let client: ApiClient | undefined;

/** The app's one API client, created on first use (IPC in Electron, WebSocket in browser mode). */
export function host(): ApiClient {
  client ??= createApiClient(createTransport());
  return client;
}
