import { describe, expect, it } from 'vitest';
import type { RpcResult } from '../../../shared/rpc';
import { ApiError, createApiClient } from './client';
import type { ConnectionStatus, Transport } from './transport';

function fakeTransport(reply: (channel: string, payload: unknown) => RpcResult<unknown>) {
  const listeners = new Map<string, (p: unknown) => void>();
  const sent: { channel: string; payload: unknown }[] = [];
  const transport: Transport = {
    kind: 'browser',
    invoke: async (channel, payload) => {
      sent.push({ channel, payload });
      return reply(channel, payload);
    },
    subscribe: (event, listener) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
    onStatus: (l: (s: ConnectionStatus) => void) => {
      l('connected');
      return () => {};
    },
  };
  return { transport, sent, emit: (event: string, p: unknown) => listeners.get(event)?.(p) };
}

describe('api client', () => {
  it('returns the validated response of a known channel', async () => {
    const { transport, sent } = fakeTransport(() => ({ ok: true, value: { nonce: 'n1', receivedAt: 5 } }));
    const api = createApiClient(transport);
    await expect(api.invoke('app.ping', { nonce: 'n1' })).resolves.toEqual({ nonce: 'n1', receivedAt: 5 });
    expect(sent).toEqual([{ channel: 'app.ping', payload: { nonce: 'n1' } }]);
  });

  it('turns a host error into an ApiError with its code', async () => {
    const { transport } = fakeTransport(() => ({
      ok: false,
      error: { code: 'not-found', message: 'There is no such file.', where: 'a.json' },
    }));
    const err = await createApiClient(transport)
      .invoke('app.ping', { nonce: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('not-found');
    expect((err as ApiError).where).toBe('a.json');
  });

  it('refuses a response that does not match the contract', async () => {
    const { transport } = fakeTransport(() => ({ ok: true, value: { nonce: 42 } }));
    const err = await createApiClient(transport)
      .invoke('app.ping', { nonce: 'x' })
      .catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('invalid-response');
  });

  it('delivers only events whose payload matches their schema', () => {
    const { transport, emit } = fakeTransport(() => ({ ok: true, value: {} }));
    const got: string[] = [];
    const off = createApiClient(transport).on('menu.command', (p) => got.push(p.command));
    emit('menu.command', { command: 'edit.undo' });
    emit('menu.command', { command: 'rm -rf' });
    emit('menu.command', 'nonsense');
    off();
    emit('menu.command', { command: 'edit.redo' });
    expect(got).toEqual(['edit.undo']);
  });
});
