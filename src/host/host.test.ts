import { describe, expect, it } from 'vitest';
import { apiChannels } from '../shared/api/contract';
import { createHost } from './createHost';

const ctx = { transport: 'direct', clientId: 'test' } as const;
const host = () => createHost({ app: { name: 'Backprop Studio', version: '1.2.3', electron: null, mode: 'headless' } });

describe('Host', () => {
  it('names an unknown channel in a typed error', async () => {
    const result = await host().invoke('app.rmrf', {}, ctx);
    expect(result).toEqual({
      ok: false,
      error: { code: 'unknown-channel', message: 'There is no API method named "app.rmrf".' },
    });
  });

  it('does not treat inherited object keys as channels', async () => {
    for (const channel of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 42, null, undefined, {}]) {
      const result = await host().invoke(channel, {}, ctx);
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
  });

  it('validates the request before the handler runs', async () => {
    const result = await host().invoke('app.ping', { nonce: 1 }, ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-request');
      expect(result.error.message).toContain('nonce');
    }
  });

  it('says dialogs are unavailable outside the desktop app', async () => {
    const result = await host().invoke('dialog.openProject', {}, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('drops a malformed event instead of throwing', () => {
    const h = host();
    const seen: unknown[] = [];
    h.onEvent((_e, p) => seen.push(p));
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      expect(() => h.emit('menu.command', { command: 'rm -rf' } as never)).not.toThrow();
      expect(() => h.emit('no.such.event' as never, {} as never)).not.toThrow();
    } finally {
      console.error = original;
    }
    expect(seen).toEqual([]);
    expect(errors).toHaveLength(2);
    h.emit('menu.command', { command: 'file.new' });
    expect(seen).toEqual([{ command: 'file.new' }]);
  });

  it('has a handler for every channel of the contract', async () => {
    const h = host();
    for (const channel of apiChannels) {
      const result = await h.invoke(channel, Symbol('not a payload'), ctx);
      // Every channel is served: a wrong payload is refused by its schema, never "unknown channel".
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
  });
});
