// The whole API through both bindings: Electron's IPC (the real binding with a paired fake of
// ipcMain/webContents, structured clone in between) and browser mode's WebSocket (the real
// server on 127.0.0.1, JSON in between). The same scenario runs over each.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import fc from 'fast-check';
import { apiChannels } from '../shared/api/contract';
import { eventChannel, rpcErrorCodes, rpcResultSchema, type RpcResult, type WireFromHost } from '../shared/rpc';
import { startWebServer, type WebServer } from '../web/server';
import { closeHost, createHost } from './createHost';
import type { Host } from './host';
import { bindIpc, type IpcInvokeEventLike, type IpcMainLike } from './ipcBinding';
import { getAllocator } from '../engine/tensor/allocator';

type Invoke = (channel: string, payload: unknown) => Promise<RpcResult<unknown>>;
interface Client {
  invoke: Invoke;
  events: Array<{ event: string; payload: Record<string, unknown> }>;
  close(): Promise<void>;
}

const xor = JSON.parse(
  readFileSync(new URL('../../resources/examples/xor-mlp.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
let dir: string;
let host: Host;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bps-bindings-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  host = createHost({
    app: { name: 'Backprop Studio', version: '1.0.0', electron: null, mode: 'headless' },
    // The desktop app's Save dialog, played by the test: the user chooses a new file each time.
    dialogs: {
      openProject: async () => null,
      saveProject: async () => path.join(dir, `p-${Math.random().toString(36).slice(2)}.json`),
    },
    dataDir: path.join(dir, 'data'),
    studio: { sessions: { poolWorkers: 0 } },
  });
});
afterAll(async () => {
  await closeHost(host);
  rmSync(dir, { recursive: true, force: true });
});

function ipcClient(): Client {
  type Listener = (event: IpcInvokeEventLike, payload: unknown) => Promise<RpcResult<unknown>>;
  const handlers = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const events: Client['events'] = [];
  const window = {
    id: 1,
    isDestroyed: () => false,
    send: (channel: string, payload: unknown) =>
      events.push({
        event: channel.replace(/^event:/, ''),
        payload: structuredClone(payload) as Record<string, unknown>,
      }),
  };
  const unbind = bindIpc({ ipcMain, host, isTrustedUrl: (u) => u.startsWith('file:///app/'), targets: () => [window] });
  return {
    events,
    invoke: async (channel, payload) => {
      const h = handlers.get(channel);
      // Electron's ipcRenderer.invoke on an unhandled channel rejects; the preload only exposes known ones.
      if (h === undefined)
        return { ok: false, error: { code: 'unknown-channel', message: `No handler for ${channel}` } };
      return structuredClone(
        await h({ sender: { id: 1 }, senderFrame: { url: 'file:///app/index.html' } }, structuredClone(payload)),
      );
    },
    close: async () => unbind(),
  };
}

async function wsClient(server: WebServer): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=tok`, {
    origin: `http://127.0.0.1:${server.port}`,
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const pending = new Map<number, (r: RpcResult<unknown>) => void>();
  const events: Client['events'] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as WireFromHost;
    if (msg.type === 'result') pending.get(msg.id)?.(msg.result as RpcResult<unknown>);
    else events.push({ event: msg.event, payload: msg.payload as Record<string, unknown> });
  });
  let id = 1;
  return {
    events,
    invoke: (channel, payload) =>
      new Promise((resolve) => {
        const n = id++;
        pending.set(n, resolve);
        ws.send(JSON.stringify({ type: 'invoke', id: n, channel, payload }));
      }),
    close: async () => {
      ws.close();
    },
  };
}

async function scenario(c: Client, web: boolean): Promise<void> {
  const ok = async <T = Record<string, unknown>>(channel: string, payload: unknown): Promise<T> => {
    const r = await c.invoke(channel, payload);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  expect(await ok('app.ping', { nonce: 'n' })).toMatchObject({ nonce: 'n' });
  const doc = await ok<{ document: Record<string, unknown> }>('projects.new', { name: 'Bound' });
  const saved = await ok<{ content: string }>('projects.saveContent', { document: doc.document });
  expect(await ok('projects.openContent', { content: saved.content })).toMatchObject({ title: 'Bound' });
  const { path: file } = await ok<{ path: string }>('dialog.saveProject', {});
  if (web) {
    // Browser mode takes no file paths: its UI uploads and downloads (above).
    const r = await c.invoke('projects.save', { path: file, document: xor });
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  } else {
    await ok('projects.save', { path: file, document: xor });
    expect(await ok('projects.open', { path: file })).toMatchObject({ title: xor.name });
    expect((await ok<{ files: unknown[] }>('projects.recent', {})).files.length).toBeGreaterThan(0);
  }
  const { examples } = await ok<{ examples: Array<{ id: string }> }>('examples.list', {});
  const ex = await ok<{ document: { graph: unknown } }>('examples.open', { id: examples[0].id });
  expect(await ok('graph.validate', { graph: ex.document.graph })).toMatchObject({ valid: true });
  expect(
    Object.keys((await ok<{ edges: object }>('graph.inferShapes', { graph: ex.document.graph })).edges).length,
  ).toBeGreaterThan(0);
  expect((await ok<{ datasets: unknown[] }>('datasets.list', {})).datasets.length).toBeGreaterThan(3);
  expect(await ok('datasets.preview', { name: 'xor', rows: 2 })).toMatchObject({ name: 'xor', rows: [{}, {}] });
  expect(await ok('export.code', { document: xor, lang: 'python' })).toMatchObject({
    lang: 'python',
    files: [{ path: 'model.py' }, { path: 'train.py' }],
  });

  const { sessionId } = await ok<{ sessionId: string }>('session.create', { project: xor });
  await ok('session.loadBatch', { sessionId, split: 'train', indices: [0, 1, 2] });
  expect(await ok('session.stepForward', { sessionId })).toMatchObject({
    report: { direction: 'forward', nodeId: 'x' },
  });
  await ok('session.runForward', { sessionId });
  // The op-level graph: fc1's records on the tape, and the backward pass one op at a time.
  const tape = await ok<{ ops: { kernel: string }[] }>('session.tape', { sessionId, nodeId: 'fc1' });
  expect(tape.ops.map((o) => o.kernel)).toEqual(['MatMul', 'Add']);
  expect(await ok('session.stepBackwardOp', { sessionId })).toMatchObject({
    phase: 'backward',
    tapeStep: { nodeId: 'loss' },
  });
  await ok('session.stepBackward', { sessionId });
  await ok('session.runBackward', { sessionId });
  expect(
    (await ok<{ summary: { shape: number[] } }>('session.edgeSummary', { sessionId, edgeId: 'e1', kind: 'gradient' }))
      .summary,
  ).toBeNull();
  expect(
    (await ok<{ summary: { shape: number[] } }>('session.edgeSummary', { sessionId, edgeId: 'e2', kind: 'gradient' }))
      .summary.shape,
  ).toEqual([3, 8]);
  expect(
    (
      await ok<{ tensor: { values: number[] } }>('session.fullTensor', {
        sessionId,
        ref: { type: 'edge', edgeId: 'e2', kind: 'activation' },
      })
    ).tensor.values.length,
  ).toBe(24);
  expect(
    (
      await ok<{ maxRelError: number }>('session.gradCheck', {
        sessionId,
        ref: { type: 'parameter', name: 'fc2.bias' },
      })
    ).maxRelError,
  ).toBeLessThan(1e-3);
  await ok('session.applyUpdate', { sessionId });
  expect(await ok('session.parameterSummary', { sessionId, name: 'fc2.weight', kind: 'update' })).toMatchObject({
    summary: { shape: [1, 8] },
  });
  await ok('session.reset', { sessionId });
  await ok('training.start', { sessionId, epochs: 3 });
  const t0 = Date.now();
  while (!c.events.some((e) => e.event === 'training.finished' && e.payload.sessionId === sessionId)) {
    if (Date.now() - t0 > 30_000) throw new Error('training did not finish');
    await new Promise((r) => setTimeout(r, 20));
  }
  const names = new Set(c.events.filter((e) => e.payload.sessionId === sessionId).map((e) => e.event));
  for (const n of ['training.state', 'training.epoch', 'training.finished', 'training.metrics'])
    expect(names.has(n)).toBe(true);
  expect(await ok('training.status', { sessionId })).toMatchObject({ state: 'finished', epoch: 3 });
  await ok('session.close', { sessionId });
}

async function fuzzTransport(c: Client, runs: number): Promise<void> {
  const codes = new Set<string>(rpcErrorCodes);
  for (const channel of [...apiChannels, 'no.such.channel', '__proto__']) {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (payload) => {
        const r = await c.invoke(channel, payload);
        expect(rpcResultSchema.safeParse(r).success).toBe(true);
        if (!r.ok) expect(codes.has(r.error.code)).toBe(true);
      }),
      { numRuns: runs, seed: 7 },
    );
  }
}

describe('the API through both bindings', () => {
  it('IPC binding (fake ipcMain pair, structured clone)', async () => {
    const c = ipcClient();
    const before = getAllocator().stats();
    try {
      await scenario(c, false);
      // The thread serving the API allocated no tensor: every kernel ran in a session worker.
      const after = getAllocator().stats();
      expect(after.fresh + after.reused).toBe(before.fresh + before.reused);
      await fuzzTransport(c, 50);
      expect(c.events.every((e) => !e.event.startsWith(eventChannel('')))).toBe(true);
    } finally {
      await c.close();
    }
  }, 120_000);

  it('WebSocket binding (the real server on 127.0.0.1, JSON)', async () => {
    const server = await startWebServer({ host, rendererDir: dir, port: 0, token: 'tok' });
    const c = await wsClient(server);
    try {
      await scenario(c, true);
      await fuzzTransport(c, 50);
    } finally {
      await c.close();
      await server.close();
    }
  }, 120_000);
});
