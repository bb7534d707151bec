import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { SessionManager, type SessionManagerOptions } from './sessionManager';
import { loadProject } from '../../engine/graph/load';
import type { Project } from '../../engine/graph/schema';

// The spare session worker: started ahead of need, taken by the next session, replaced, and
// never leaked. Every check counts threads and events; none measures time.

function loaded(text: string): Project {
  const r = loadProject(text);
  if (!r.ok) throw new Error(r.error);
  return r.project;
}
const xorText = readFileSync(new URL('../../../resources/examples/xor-mlp.json', import.meta.url), 'utf8');
const xor = loaded(xorText);

/** A forward and backward pass on the first four examples: everything a session computes for a step. */
const pass = (m: SessionManager, id: string) =>
  m.call(id, 'session.preview', { sessionId: id, split: 'train', indices: [0, 1, 2, 3], gradients: true });

const managers: SessionManager[] = [];
function manager(opts: Partial<SessionManagerOptions> = {}, events: string[] = []): SessionManager {
  const m = new SessionManager({ emit: (e) => events.push(e), poolWorkers: 0, spareWorker: true, ...opts });
  managers.push(m);
  return m;
}
afterEach(async () => {
  for (const m of managers.splice(0)) {
    await m.closeAll();
    expect(m.liveWorkers()).toBe(0);
  }
});

describe('the spare session worker', () => {
  it('waits started, its WebAssembly kernels compiled; a new session takes it and another spare replaces it', async () => {
    const m = manager();
    expect(m.spareStatus()).toMatchObject({ state: 'starting', started: 1, taken: 0 });
    await m.spareSettled();
    const ready = m.spareStatus();
    expect(ready.state).toBe('ready');
    expect(ready.wasmKernels).toEqual([
      'gemmF32Simd',
      'reluF32Simd',
      'optimF32Simd',
      'convF32Simd',
      'maxPoolF32Simd',
      'elementwiseF32Simd',
    ]);
    expect(m.liveWorkers()).toBe(1);
    expect(m.size).toBe(0);

    const id = await m.create(xor);
    // The session is the spare's thread: no thread was started for it, one for the next spare.
    expect(m.spareStatus()).toMatchObject({ started: 2, taken: 1 });
    expect(m.size).toBe(1);
    expect(m.info(id)).toMatchObject({ losses: ['loss'], dataset: { name: 'xor' } });
    expect((await pass(m, id)).phase).toBe('backwarded');
    await m.spareSettled();
    expect(m.spareStatus().state).toBe('ready');
    expect(m.liveWorkers()).toBe(2);

    await m.close(id);
    expect(m.liveWorkers()).toBe(1);
    await m.closeAll();
    expect(m.liveWorkers()).toBe(0);
    expect(m.spareStatus()).toMatchObject({ state: 'none', started: 2, taken: 1 });
  });

  it('computes what a session in a new thread computes', async () => {
    const spared = manager();
    const plain = manager({ spareWorker: false });
    await spared.spareSettled();
    const a = await spared.create(xor, 0, 'float64');
    const b = await plain.create(xor, 0, 'float64');
    expect(spared.spareStatus().taken).toBe(1);
    expect(plain.spareStatus()).toMatchObject({ state: 'none', started: 0 });
    const [pa, pb] = [await pass(spared, a), await pass(plain, b)];
    expect(pa.activations).toEqual(pb.activations);
    expect(pa.gradients).toEqual(pb.gradients);
  });

  it('a project that does not compile fails as in a new thread, and the spare stays the spare', async () => {
    const m = manager();
    await m.spareSettled();
    const bad = loaded(xorText);
    bad.graph.edges = bad.graph.edges.filter((e) => e.id !== 'e1');
    await expect(m.create(bad)).rejects.toThrow(/fc1|input/i);
    expect(m.spareStatus()).toMatchObject({ state: 'ready', started: 1, taken: 0 });
    expect(m.liveWorkers()).toBe(1);
    await m.create(xor);
    expect(m.spareStatus()).toMatchObject({ started: 2, taken: 1 });
  });

  it('holds a session slot: none is kept when every slot is taken, and sessions are never refused for it', async () => {
    const events: string[] = [];
    const m = manager({ maxSessions: 2 }, events);
    await m.spareSettled();
    const a = await m.create(xor);
    await m.spareSettled();
    expect(m.liveWorkers()).toBe(2);
    const b = await m.create(xor);
    // Both slots are sessions now: no spare is started in a slot that is not there.
    expect(m.spareStatus()).toMatchObject({ state: 'none', started: 2, taken: 2 });
    expect(m.liveWorkers()).toBe(2);
    // A third session makes room as before (the least recently used one goes), still without a spare.
    await pass(m, b);
    const c = await m.create(xor);
    expect(m.has(a)).toBe(false);
    expect(events).toContain('session.closed');
    expect(m.has(c)).toBe(true);
    expect(m.liveWorkers()).toBe(2);
    await m.close(b);
    await m.close(c);
    // Slots are free again: the next session starts a spare after it.
    await m.create(xor);
    await m.spareSettled();
    expect(m.spareStatus()).toMatchObject({ state: 'ready', started: 3, taken: 2 });
    expect(m.liveWorkers()).toBe(2);
  });

  it('counts in the process memory budget like a session', async () => {
    const m = manager();
    await m.spareSettled();
    const before = m.budgetUsage().usedBytes;
    const id = await m.create(xor, 5 * 1024 * 1024);
    // What the session was admitted for is held; the new spare adds what it allocated (nothing yet).
    expect(m.budgetUsage().usedBytes).toBeGreaterThanOrEqual(before + 5 * 1024 * 1024);
    await m.close(id);
    await m.spareSettled();
    expect(m.budgetUsage().usedBytes).toBe(before);
  });
});
