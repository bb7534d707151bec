import { apiChannels } from '../shared/api/contract';
import { eventChannel, rpcError, type RpcResult } from '../shared/rpc';
import type { Host } from './host';

/** The parts of Electron's IpcMainInvokeEvent the binding reads. */
export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  /** Null when the frame has navigated away or been destroyed. */
  readonly senderFrame: { readonly url: string } | null;
}

/** The parts of Electron's ipcMain the binding uses; tests pass a fake pair. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, payload: unknown) => Promise<RpcResult<unknown>>): void;
  removeHandler(channel: string): void;
}

/** Where events go: Electron's webContents, or a test's fake. */
export interface EventTarget {
  readonly id: number;
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

export interface IpcBindingOptions {
  readonly ipcMain: IpcMainLike;
  readonly host: Host;
  /** True only for the app's own pages; every message's sender frame is checked against it. */
  readonly isTrustedUrl: (url: string) => boolean;
  /** The windows that receive events. */
  readonly targets: () => Iterable<EventTarget>;
}

/**
 * Serves every API channel on ipcMain. Messages from a frame that is not the app's own page
 * (a navigated or injected frame) are refused before the host sees them.
 */
export function bindIpc(options: IpcBindingOptions): () => void {
  const { ipcMain, host, isTrustedUrl, targets } = options;
  for (const channel of apiChannels) {
    ipcMain.handle(channel, async (event, payload) => {
      const url = event.senderFrame?.url;
      if (url === undefined || !isTrustedUrl(url)) {
        return {
          ok: false,
          error: rpcError('unauthorized', 'This request did not come from the Backprop Studio window.'),
        };
      }
      return host.invoke(channel, payload, { transport: 'ipc', clientId: `webContents:${event.sender.id}` });
    });
  }
  const unsubscribe = host.onEvent((name, payload) => {
    for (const target of targets()) {
      if (!target.isDestroyed()) target.send(eventChannel(name), payload);
    }
  });
  return () => {
    unsubscribe();
    for (const channel of apiChannels) ipcMain.removeHandler(channel);
  };
}
