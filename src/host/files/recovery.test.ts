import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { existsSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AUTOSAVE_DELAY_MS, AUTOSAVE_MAX_WAIT_MS, RecoveryStore } from './recovery';
import { RecentFiles, MAX_RECENT_FILES } from './recentFiles';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-recovery-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('RecoveryStore', () => {
  // The autosave's timing is checked on a fake clock (setTimeout and Date only; the file system
  // stays real), so a loaded machine cannot make these tests pass or fail by its speed.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('autosaves within a second of the last edit and offers the work after a crash', async () => {
    expect(AUTOSAVE_DELAY_MS).toBeLessThan(1000);
    const store = new RecoveryStore(dir);
    expect((await store.start()).previousRunCrashed).toBe(false);
    store.schedule('doc1', { path: null, title: 'Untitled', content: '{"v":1}' });
    vi.advanceTimersByTime(AUTOSAVE_DELAY_MS - 1);
    store.schedule('doc1', { path: null, title: 'Untitled', content: '{"v":2}' });
    // The second edit restarts the delay: one tick before it ends, nothing has been written.
    vi.advanceTimersByTime(AUTOSAVE_DELAY_MS - 1);
    expect(store.isPending('doc1')).toBe(true);
    expect(await store.read('doc1')).toBeNull();
    vi.advanceTimersByTime(1);
    expect(store.isPending('doc1')).toBe(false);
    await store.flush(); // waits for the write the timer started
    expect((await store.read('doc1'))?.content).toBe('{"v":2}');
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
    expect(AUTOSAVE_MAX_WAIT_MS).toBeLessThan(1000);
    const store = new RecoveryStore(dir);
    await store.start();
    // An edit every 50 ms, each arriving before the delay ends: the first write starts when the
    // first edit has waited the max wait, not after the stream stops.
    let writtenAt = -1;
    for (let t = 0; t <= 2 * AUTOSAVE_MAX_WAIT_MS && writtenAt < 0; t += 50) {
      store.schedule('k', { path: 'x.json', title: 'x', content: String(t) });
      vi.advanceTimersByTime(50);
      if (!store.isPending('k')) writtenAt = t + 50;
    }
    expect(writtenAt).toBeGreaterThan(0);
    expect(writtenAt).toBeLessThanOrEqual(AUTOSAVE_MAX_WAIT_MS + 50);
    await store.flush();
    expect(Number((await store.read('k'))?.content)).toBeGreaterThanOrEqual(writtenAt - 100);
    await store.close();
  });

  it('close waits for a write the timer already started: a stop at that moment loses nothing', async () => {
    const store = new RecoveryStore(dir);
    await store.start();
    store.schedule('doc', { path: null, title: 'Untitled', content: '{"v":1}' });
    vi.advanceTimersByTime(AUTOSAVE_DELAY_MS);
    // The write is under way (no longer pending) when the stop comes.
    expect(store.isPending('doc')).toBe(false);
    await store.close();
    expect(existsSync(path.join(dir, 'doc.recovery.json'))).toBe(true);
    expect((await store.read('doc'))?.content).toBe('{"v":1}');
    expect(existsSync(path.join(dir, 'running.pid'))).toBe(false);
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
