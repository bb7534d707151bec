import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeHost, createHost } from '../createHost';
import type { Host } from '../host';
import type { DialogProvider } from './app';

let dir: string;
let host: Host;
const ctx = { transport: 'direct', clientId: 't' } as const;
/** What the user picks in the next native dialog (the desktop app's dialogs, played by the test). */
let picked: string | null = null;
const dialogs: DialogProvider = { openProject: async () => picked, saveProject: async () => picked };

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-projects-'));
  host = createHost({
    app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
    dialogs,
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

/** The user chooses `file` in the Save (or Open) dialog, which grants it to the host. */
async function choose(file: string, dialog: 'dialog.saveProject' | 'dialog.openProject' = 'dialog.saveProject') {
  picked = file;
  expect(await ok(dialog, {})).toEqual({ path: file });
  picked = null;
  return file;
}

describe('projects service', () => {
  it('new → save → open round-trips, keeps a backup and lists the file as recent', async () => {
    const created = await ok<{ document: Record<string, unknown> }>('projects.new', { name: 'Mine' });
    const file = await choose(path.join(dir, 'mine.json'));
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
    const file = await choose(path.join(dir, 'x.json'));
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
    const nope = await choose(path.join(dir, 'nope.json'), 'dialog.openProject');
    expect(await host.invoke('projects.open', { path: nope }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    await choose(dir, 'dialog.openProject');
    expect(await host.invoke('projects.open', { path: dir }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringContaining('folder') },
    });
    const { document } = await ok<{ document: Record<string, unknown> }>('projects.new', {});
    const file = await choose(path.join(dir, 'p.json'));
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

describe('file capabilities: the host reads and writes only paths it granted', () => {
  const secretText = 'root:*:20240:0:99999:7:::\nsecret line 2\n';

  it('projects.save and saveAs refuse a path no dialog chose, and leave the file untouched', async () => {
    const { document } = await ok<{ document: Record<string, unknown> }>('projects.new', { name: '$(touch pwned)' });
    const target = path.join(dir, '.bashrc');
    await fsp.writeFile(target, 'export PATH=/usr/bin\n');
    for (const p of [target, path.join(dir, 'sub', '..', '.bashrc'), path.join(dir, 'new.json')]) {
      for (const channel of ['projects.save', 'projects.saveAs']) {
        const payload = channel === 'projects.saveAs' ? { path: p, document, overwrite: true } : { path: p, document };
        const r = await host.invoke(channel, payload, ctx);
        expect(r, `${channel} ${p}`).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      }
    }
    expect(await fsp.readFile(target, 'utf8')).toBe('export PATH=/usr/bin\n');
    await expect(fsp.stat(path.join(dir, 'new.json'))).rejects.toThrow();
    // A link to the granted file's folder is not the granted file.
    const chosen = await choose(path.join(dir, 'chosen.json'));
    await fsp.symlink(dir, path.join(dir, 'link'));
    expect(
      await host.invoke('projects.save', { path: path.join(dir, 'link', '.bashrc'), document }, ctx),
    ).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    await ok('projects.save', { path: chosen, document });
  });

  it('projects.open refuses a path no dialog chose, without reading or quoting it', async () => {
    const secret = path.join(dir, 'shadow');
    await fsp.writeFile(secret, secretText);
    for (const p of [secret, `${dir}/../${path.basename(dir)}/shadow`, '/etc/passwd', '/dev/zero']) {
      const r = await host.invoke('projects.open', { path: p }, ctx);
      expect(r, p).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      expect(JSON.stringify(r)).not.toMatch(/root|secret line/);
    }
    // Chosen in the Open dialog it is read, and refused as a project without quoting it.
    await choose(secret, 'dialog.openProject');
    const r = await host.invoke('projects.open', { path: secret }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(JSON.stringify(r)).not.toMatch(/root|secret line|20240/);
  });

  it('accepts the recent files after a restart, and the bundled examples by path', async () => {
    const { document } = await ok<{ document: Record<string, unknown> }>('projects.new', { name: 'Again' });
    const file = await choose(path.join(dir, 'again.json'));
    await ok('projects.save', { path: file, document });
    await closeHost(host);
    // A copy of the examples, so that a failure here cannot damage the real ones.
    const examplesDir = path.join(dir, 'examples');
    await fsp.mkdir(examplesDir);
    const example = path.join(examplesDir, 'xor-mlp.json');
    await fsp.copyFile(new URL('../../../resources/examples/xor-mlp.json', import.meta.url), example);
    host = createHost({
      app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
      dataDir: path.join(dir, 'data'),
      studio: { sessions: { poolWorkers: 0 }, examplesDir },
    });
    expect(await ok('projects.open', { path: file })).toMatchObject({ title: 'Again' });
    await ok('projects.save', { path: file, document });
    expect(await ok('projects.open', { path: example })).toMatchObject({ path: example });
    // The examples are read only.
    expect(await host.invoke('projects.save', { path: example, document }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
  });

  it('keeps an autosaved path only when the client may save there', async () => {
    const { document } = await ok<{ document: Record<string, unknown> }>('projects.new', { name: 'Auto' });
    await ok('projects.autosave', { key: 'k1', path: path.join(dir, 'elsewhere.json'), title: 'Auto', document });
    const granted = await choose(path.join(dir, 'granted.json'));
    await ok('projects.autosave', { key: 'k2', path: granted, title: 'Auto', document });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await ok('projects.recover', { key: 'k1' })).toMatchObject({ path: null });
    expect(await ok('projects.recover', { key: 'k2' })).toMatchObject({ path: granted });
  });

  it('browser mode (the WebSocket) gets no path method at all, even for a granted file', async () => {
    const ws = { transport: 'websocket', clientId: 'w' } as const;
    const { document } = await ok<{ document: Record<string, unknown> }>('projects.new', {});
    const file = await choose(path.join(dir, 'web.json'));
    await ok('projects.save', { path: file, document });
    for (const [channel, payload] of [
      ['projects.open', { path: file }],
      ['projects.save', { path: file, document }],
      ['projects.saveAs', { path: file, document, overwrite: true }],
    ] as const) {
      const r = await host.invoke(channel, payload, ws);
      expect(r, channel).toMatchObject({ ok: false, error: { code: 'unauthorized', message: /upload/ } });
    }
  });

  it('session.create refuses a project whose CSV data set is outside the data folder, before any worker starts', async () => {
    const secret = path.join(dir, 'secret.csv');
    await fsp.writeFile(secret, 'a,b\n1,0\n');
    const example = JSON.parse(
      await fsp.readFile(new URL('../../../resources/examples/xor-mlp.json', import.meta.url), 'utf8'),
    ) as { training: Record<string, unknown> };
    for (const p of [secret, '/etc/passwd', '/dev/zero']) {
      const project = { ...example, training: { ...example.training, dataset: { name: 'csv', params: { path: p } } } };
      const r = await host.invoke('session.create', { project }, ctx);
      expect(r, p).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
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

  it('graph.validate refuses a huge graph, at the training batch size too, and an unreadable data set', async () => {
    const n = (id: string, type: string, params: Record<string, unknown>) => ({
      id,
      type,
      params,
      position: { x: 0, y: 0 },
    });
    const wide = (inputs: number, outputs: number) => ({
      nodes: [n('x', 'Input', { shape: [inputs] }), n('fc', 'Linear', { out_features: outputs })],
      edges: [{ id: 'e1', source: 'x', sourcePort: 'out', target: 'fc', targetPort: 'input' }],
    });
    // 1.1e12 parameters used to be called valid.
    const huge = await ok<{ valid: boolean; issues: Array<{ code: string; message: string }> }>('graph.validate', {
      graph: wide(1 << 20, 1 << 20),
    });
    expect(huge.valid).toBe(false);
    expect(huge.issues.find((i) => i.code === 'too-large')?.message).toMatch(
      /^This network needs [\d,]+ GB; the limit is 2\.0 GB/,
    );
    const fits = { graph: wide(64, 1 << 18) };
    expect(await ok('graph.validate', fits)).toMatchObject({ valid: true });
    const batch = await ok<{ valid: boolean; issues: Array<{ message: string }> }>('graph.validate', {
      ...fits,
      batchSize: 4096,
    });
    expect(batch.valid).toBe(false);
    expect(batch.issues.map((i) => i.message)).toContainEqual(expect.stringMatching(/batch 4,096\)/));
    for (const [file, message] of [
      ['/dev/zero', /only from the data folder/],
      [
        path.join(dir, 'data', 'datasets', 'missing.csv'),
        /Cannot read the CSV data set ".*missing\.csv": no such file\./,
      ],
    ] as const) {
      const r = await ok<{ valid: boolean; issues: Array<{ code: string; message: string }> }>('graph.validate', {
        ...fits,
        dataset: { name: 'csv', params: { path: file } },
      });
      expect(r.valid, file).toBe(false);
      expect(r.issues.find((i) => i.code === 'dataset')?.message, file).toMatch(message);
    }
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
