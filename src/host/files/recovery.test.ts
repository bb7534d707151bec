import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AUTOSAVE_MAX_WAIT_MS, RecoveryStore } from './recovery';
import { RecentFiles, MAX_RECENT_FILES } from './recentFiles';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-recovery-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const waitFor = async (cond: () => Promise<boolean>, ms: number): Promise<number> => {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await cond()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`condition not met within ${ms} ms`);
};

describe('RecoveryStore', () => {
  it('autosaves within a second of the last edit and offers the work after a crash', async () => {
    const store = new RecoveryStore(dir);
    expect((await store.start()).previousRunCrashed).toBe(false);
    store.schedule('doc1', { path: null, title: 'Untitled', content: '{"v":1}' });
    store.schedule('doc1', { path: null, title: 'Untitled', content: '{"v":2}' });
    const took = await waitFor(async () => (await store.read('doc1'))?.content === '{"v":2}', 1000);
    expect(took).toBeLessThan(1000);
    // Simulated crash: no close(). The next run sees the marker and the recovery file.
    const next = new RecoveryStore(dir);
    expect((await next.start()).previousRunCrashed).toBe(true);
    const list = await next.list();
    expect(list.map((e) => [e.key, e.content])).toEqual([['doc1', '{"v":2}']]);
    await next.clear('doc1');
    expect(await next.list()).toEqual([]);
    await next.close();
    const third = new RecoveryStore(dir);
    expect((await third.start()).previousRunCrashed).toBe(false);
  });

  it('a continuous stream of edits is still saved within the max wait', async () => {
    const store = new RecoveryStore(dir);
    await store.start();
    const t0 = Date.now();
    let n = 0;
    const editor = setInterval(() => store.schedule('k', { path: '/x.json', title: 'x', content: String(n++) }), 50);
    try {
      await waitFor(async () => (await store.read('k')) !== null, AUTOSAVE_MAX_WAIT_MS + 500);
      expect(Date.now() - t0).toBeLessThan(1000 + 200);
    } finally {
      clearInterval(editor);
    }
    await store.close();
  });

  it('rejects keys that could escape the folder', () => {
    const store = new RecoveryStore(dir);
    expect(() => store.schedule('../evil', { path: null, title: '', content: '' })).toThrow(/letters/);
  });

  it('skips damaged recovery files', async () => {
    await fsp.writeFile(path.join(dir, 'bad.recovery.json'), '{not json');
    const store = new RecoveryStore(dir);
    expect(await store.list()).toEqual([]);
  });
});

describe('RecentFiles', () => {
  it('keeps the latest first, without duplicates, at most MAX_RECENT_FILES', async () => {
    const recent = new RecentFiles(path.join(dir, 'recent.json'));
    for (let i = 0; i < MAX_RECENT_FILES + 3; i++) await recent.add(path.join(dir, `f${i}.json`), `f${i}`);
    await recent.add(path.join(dir, 'f5.json'), 'f5');
    await fsp.writeFile(path.join(dir, 'f5.json'), '{}');
    const list = await recent.list();
    expect(list.length).toBe(MAX_RECENT_FILES);
    expect(list[0]).toMatchObject({ title: 'f5', exists: true });
    expect(list[1]).toMatchObject({ title: `f${MAX_RECENT_FILES + 2}`, exists: false });
    expect(new Set(list.map((f) => f.path)).size).toBe(list.length);
  });

  it('starts afresh from a damaged list', async () => {
    await fsp.writeFile(path.join(dir, 'recent.json'), '[[[');
    expect(await new RecentFiles(path.join(dir, 'recent.json')).list()).toEqual([]);
  });
});
