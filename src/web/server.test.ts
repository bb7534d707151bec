import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHost } from '../host/createHost';
import type { WireFromHost } from '../shared/rpc';
import { startWebServer, type WebServer } from './server';

let dir: string;
let server: WebServer;
const token = 'test-token-123';
const host = createHost({ app: { name: 'Backprop Studio', version: '0.0.1', electron: null, mode: 'browser' } });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bps-web-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  server = await startWebServer({ host, rendererDir: dir, port: 0, token });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(query: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, message: unknown): Promise<WireFromHost> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString()) as WireFromHost));
    ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}

describe('web server', () => {
  const origin = () => `http://127.0.0.1:${server.port}`;

  it('serves the renderer with the CSP, and nothing outside it', async () => {
    const res = await fetch(`${origin()}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    for (const bad of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2fpackage.json']) {
      const r = await fetch(`${origin()}${bad}`);
      expect([403, 404]).toContain(r.status);
    }
    expect((await fetch(`${origin()}/`, { method: 'POST' })).status).toBe(405);
  });

  it('answers the API with the token and the right Origin', async () => {
    const ws = await connect(`?token=${token}`, origin());
    expect(await call(ws, { type: 'invoke', id: 1, channel: 'app.ping', payload: { nonce: 'n' } })).toMatchObject({
      type: 'result',
      id: 1,
      result: { ok: true, value: { nonce: 'n' } },
    });
    expect(await call(ws, { type: 'invoke', id: 2, channel: 'app.version', payload: {} })).toMatchObject({
      result: { ok: true, value: { version: '0.0.1', mode: 'browser', electron: null } },
    });
    ws.close();
  });

  it('refuses a wrong token or a foreign Origin', async () => {
    await expect(connect('?token=nope', origin())).rejects.toThrow('403');
    await expect(connect(`?token=${token}`, 'https://evil.example')).rejects.toThrow('403');
    await expect(connect('', origin())).rejects.toThrow('403');
  });

  it('answers garbage with typed errors and stays up', async () => {
    const ws = await connect(`?token=${token}`, origin());
    expect(await call(ws, 'not json')).toMatchObject({
      id: -1,
      result: { ok: false, error: { code: 'invalid-request' } },
    });
    expect(await call(ws, { type: 'invoke', id: 5, channel: 'nope', payload: {} })).toMatchObject({
      id: 5,
      result: { ok: false, error: { code: 'unknown-channel' } },
    });
    expect(await call(ws, { type: 'invoke', id: 6, channel: 'app.ping', payload: { nonce: [] } })).toMatchObject({
      id: 6,
      result: { ok: false, error: { code: 'invalid-request' } },
    });
    expect(await call(ws, { id: 'x' })).toMatchObject({ id: -1 });
    expect(await call(ws, { type: 'invoke', id: 7, channel: 'app.ping', payload: { nonce: 'ok' } })).toMatchObject({
      id: 7,
      result: { ok: true },
    });
    ws.close();
  });

  it('delivers host events to connected clients', async () => {
    const ws = await connect(`?token=${token}`, origin());
    const got = new Promise<WireFromHost>((resolve) =>
      ws.once('message', (d) => resolve(JSON.parse(d.toString()) as WireFromHost)),
    );
    host.emit('menu.command', { command: 'view.fit' });
    expect(await got).toEqual({ type: 'event', event: 'menu.command', payload: { command: 'view.fit' } });
    ws.close();
  });
});
