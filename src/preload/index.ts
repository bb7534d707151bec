import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { apiChannels, apiEventNames } from '../shared/api/contract';
import { eventChannel, rpcError, type RpcResult } from '../shared/rpc';

/**
 * The renderer's only door to the host: `invoke` for the API's known channels and `subscribe`
 * for its known events. The raw ipcRenderer is never exposed.
 */
const channels = new Set<string>(apiChannels);
const events = new Set<string>(apiEventNames);

const bridge = {
  invoke(channel: string, payload: unknown): Promise<RpcResult<unknown>> {
    if (typeof channel !== 'string' || !channels.has(channel)) {
      return Promise.resolve({
        ok: false,
        error: rpcError('unknown-channel', `There is no API method named ${JSON.stringify(String(channel))}.`),
      });
    }
    return ipcRenderer.invoke(channel, payload) as Promise<RpcResult<unknown>>;
  },
  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || !events.has(event) || typeof listener !== 'function') {
      throw new Error(`There is no API event named ${JSON.stringify(String(event))}.`);
    }
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    const name = eventChannel(event);
    ipcRenderer.on(name, wrapped);
    return () => ipcRenderer.removeListener(name, wrapped);
  },
};

export type PreloadBridge = typeof bridge;

contextBridge.exposeInMainWorld('backprop', bridge);
