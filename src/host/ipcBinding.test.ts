import { describe, expect, it } from 'vitest';
import { eventChannel, type RpcResult } from '../shared/rpc';
import { createHost } from './createHost';
import { bindIpc, type IpcInvokeEventLike, type IpcMainLike } from './ipcBinding';

type Listener = (event: IpcInvokeEventLike, payload: unknown) => Promise<RpcResult<unknown>>;

/** A paired fake of ipcMain/ipcRenderer: `invoke` plays the renderer, `handle` is ipcMain's side. */
function fakeChannel() {
  const handlers = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const invoke = async (channel: string, payload: unknown, frameUrl: string | null = 'file:///app/index.html') => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    // Structured clone is what Electron does to every IPC payload.
    return structuredClone(
      await handler(
        { sender: { id: 7 }, senderFrame: frameUrl === null ? null : { url: frameUrl } },
        structuredClone(payload),
      ),
    );
  };
  return { ipcMain, invoke, handlers };
}

const host = () =>
  createHost({ app: { name: 'Backprop Studio', version: '9.9.9', electron: '45.0.0', mode: 'electron' } });
const trusted = (url: string) => url.startsWith('file:///app/');

describe('IPC binding', () => {
  it('answers app.version and app.ping from a trusted frame', async () => {
    const { ipcMain, invoke } = fakeChannel();
    bindIpc({ ipcMain, host: host(), isTrustedUrl: trusted, targets: () => [] });
    const version = await invoke('app.version', {});
    expect(version).toMatchObject({ ok: true, value: { version: '9.9.9', electron: '45.0.0', mode: 'electron' } });
    const ping = await invoke('app.ping', { nonce: 'abc' });
    expect(ping).toMatchObject({ ok: true, value: { nonce: 'abc' } });
  });

  it('refuses frames that are not the app', async () => {
    const { ipcMain, invoke } = fakeChannel();
    bindIpc({ ipcMain, host: host(), isTrustedUrl: trusted, targets: () => [] });
    expect(await invoke('app.ping', { nonce: 'x' }, 'https://evil.example/')).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await invoke('app.ping', { nonce: 'x' }, null)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
  });

  it('rejects malformed payloads with a typed error', async () => {
    const { ipcMain, invoke } = fakeChannel();
    bindIpc({ ipcMain, host: host(), isTrustedUrl: trusted, targets: () => [] });
    for (const payload of [
      undefined,
      null,
      42,
      'x',
      [],
      { nonce: 5 },
      { nonce: 'a', extra: 1 },
      { nonce: 'x'.repeat(10_000) },
    ]) {
      const result = await invoke('app.ping', payload);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
  });

  it('sends host events to every live window and unbinds cleanly', async () => {
    const { ipcMain, handlers } = fakeChannel();
    const h = host();
    const received: Array<[number, string, unknown]> = [];
    const windows = [1, 2].map((id) => ({
      id,
      send: (channel: string, payload: unknown) => received.push([id, channel, payload]),
      isDestroyed: () => id === 2,
    }));
    const unbind = bindIpc({ ipcMain, host: h, isTrustedUrl: trusted, targets: () => windows });
    h.emit('menu.command', { command: 'file.save' });
    expect(received).toEqual([[1, eventChannel('menu.command'), { command: 'file.save' }]]);
    unbind();
    expect(handlers.size).toBe(0);
    h.emit('menu.command', { command: 'file.open' });
    expect(received).toHaveLength(1);
  });
});
