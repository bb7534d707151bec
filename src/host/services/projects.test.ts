import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeHost, createHost } from '../createHost';
import type { Host } from '../host';

let dir: string;
let host: Host;
const ctx = { transport: 'direct', clientId: 't' } as const;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-projects-'));
  host = createHost({
    app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
    dataDir: path.join(dir, 'data'),
    studio: { sessions: { poolWorkers: 0 } },
  });
});
afterEach(async () => {
  await closeHost(host);
  await fsp.rm(dir, { recursive: true, force: true });
});

async function ok<T = Record<string, unknown>>(channel: string, payload: unknown): Promise<T> {
  const r = await host.invoke(channel, payload, ctx);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('projects service', () => {
  it('new → save → open round-trips, keeps a backup and lists the file as recent', async () => {
    const created = await ok<{ document: Record<string, unknown> }>('projects.new', { name: 'Mine' });
    const file = path.join(dir, 'mine.json');
    await ok('projects.save', { path: file, document: created.document });
    const doc2 = { ...created.document, description: 'second' };
    await ok('projects.save', { path: file, document: doc2 });
    const opened = await ok<{ title: string; document: { description: string }; issues: unknown[] }>('projects.open', {
      path: file,
    });
    expect(opened.title).toBe('Mine');
    expect(opened.document.description).toBe('second');
    expect(JSON.parse(await fsp.readFile(`${file}.bak`, 'utf8')).description).toBe('');
    const recent = await ok<{ files: Array<{ path: string; exists: boolean }> }>('projects.recent', {});
    expect(recent.files[0]).toMatchObject({ path: file, exists: true });
  });

  it('saveAs refuses to replace a file without overwrite; save refuses a non-project', async () => {
    const { document } = await ok<{ document: Record<string, unknown> }>('projects.new', {});
    const file = path.join(dir, 'x.json');
    await fsp.writeFile(file, 'keep me');
    const r = await host.invoke('projects.saveAs', { path: file, document }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await fsp.readFile(file, 'utf8')).toBe('keep me');
    const bad = await host.invoke('projects.save', { path: file, document: { format: 'other' } }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    await ok('projects.saveAs', { path: file, document, overwrite: true });
    expect(JSON.parse(await fsp.readFile(file, 'utf8')).format).toBe('backprop-studio');
  });

  it('names the problem when a file is missing, a folder or not a project, and points to the backup', async () => {
    expect(await host.invoke('projects.open', { path: path.join(dir, 'nope.json') }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await host.invoke('projects.open', { path: dir }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringContaining('folder') },
    });
    const { document } = await ok<{ document: Record<string, unknown> }>('projects.new', {});
    const file = path.join(dir, 'p.json');
    await ok('projects.save', { path: file, document });
    await ok('projects.save', { path: file, document });
    await fsp.writeFile(file, '{"format": "backprop-studio", "vers');
    const r = await host.invoke('projects.open', { path: file }, ctx);
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringContaining('p.json.bak') },
    });
  });

  it('browser mode: openContent and saveContent work on strings', async () => {
    const { document } = await ok<{ document: Record<string, unknown> }>('projects.new', { name: 'Web' });
    const saved = await ok<{ content: string; fileName: string }>('projects.saveContent', { document });
    expect(saved.fileName).toBe('Web.json');
    const back = await ok<{ title: string }>('projects.openContent', { content: saved.content, fileName: 'Web.json' });
    expect(back.title).toBe('Web');
    expect(await host.invoke('projects.openContent', { content: '{oops' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });

  it('autosaves unsaved work and offers it back after a crash', async () => {
    const { document } = await ok<{ document: Record<string, unknown> }>('projects.new', { name: 'Unsaved' });
    await ok('projects.autosave', { key: 'doc-1', path: null, title: 'Unsaved', document });
    await new Promise((r) => setTimeout(r, 1000));
    // A crash: the host is dropped without closeHost; a new one starts on the same data folder.
    const next = createHost({
      app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
      dataDir: path.join(dir, 'data'),
    });
    const rec = await next.invoke('projects.recoverable', {}, ctx);
    expect(rec).toMatchObject({
      ok: true,
      value: { previousRunCrashed: true, entries: [{ key: 'doc-1', title: 'Unsaved' }] },
    });
    const back = await next.invoke('projects.recover', { key: 'doc-1' }, ctx);
    expect(back).toMatchObject({ ok: true, value: { title: 'Unsaved', key: 'doc-1' } });
    await next.invoke('projects.discardRecovery', { key: 'doc-1' }, ctx);
    expect(await next.invoke('projects.recoverable', {}, ctx)).toMatchObject({ ok: true, value: { entries: [] } });
    await closeHost(next);
  });
});

describe('examples and graph services', () => {
  it('lists and opens the bundled examples, and validates their graphs', async () => {
    const { examples } = await ok<{
      examples: Array<{ id: string; name: string; topic: string; result: string; thumbnail: { nodes: unknown[] } }>;
    }>('examples.list', {});
    // Course order (the gallery index), each with its card's topic, stated result and graph.
    expect(examples.slice(0, 2).map((e) => e.id)).toEqual(['perceptron', 'xor-mlp']);
    for (const e of examples) {
      expect(e.topic, e.id).not.toBe('');
      expect(e.result, e.id).not.toBe('');
      expect(e.thumbnail.nodes.length, e.id).toBeGreaterThan(2);
    }
    const ex = await ok<{ document: { graph: { nodes: unknown[]; edges: unknown[] } } }>('examples.open', {
      id: examples[0].id,
    });
    const v = await ok<{ valid: boolean; order: string[] }>('graph.validate', { graph: ex.document.graph });
    expect(v.valid).toBe(true);
    expect(v.order.length).toBe(ex.document.graph.nodes.length);
    const shapes = await ok<{ edges: Record<string, { shape: number[] }> }>('graph.inferShapes', {
      graph: ex.document.graph,
    });
    expect(Object.keys(shapes.edges).length).toBe(ex.document.graph.edges.length);
    expect(await host.invoke('examples.open', { id: '../package' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('reports a cycle and a shape mismatch on the node at fault', async () => {
    const graph = {
      nodes: [
        { id: 'x', type: 'Input', params: { shape: [3] }, position: { x: 0, y: 0 } },
        { id: 'a', type: 'Add', params: {}, position: { x: 0, y: 0 } },
        { id: 'r', type: 'ReLU', params: {}, position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: 'x', sourcePort: 'out', target: 'a', targetPort: 'a' },
        { id: 'e2', source: 'a', sourcePort: 'out', target: 'r', targetPort: 'input' },
        { id: 'e3', source: 'r', sourcePort: 'out', target: 'a', targetPort: 'b' },
      ],
    };
    const v = await ok<{ valid: boolean; issues: Array<{ code: string; nodeId?: string }> }>('graph.validate', {
      graph,
    });
    expect(v.valid).toBe(false);
    expect(v.issues.some((i) => i.code === 'cycle')).toBe(true);
  });
});
