import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { SessionManager } from './sessionManager';
import { HostError } from '../errors';
import { loadProject } from '../../engine/graph/load';
import type { Project } from '../../engine/graph/schema';

function loaded(text: string): Project {
  const r = loadProject(text);
  if (!r.ok) throw new Error(r.error);
  return r.project;
}
const xor = loaded(readFileSync(new URL('../../../resources/examples/xor-mlp.json', import.meta.url), 'utf8'));

const managers: SessionManager[] = [];
function manager(
  events: Array<[string, unknown]> = [],
  opts: Partial<ConstructorParameters<typeof SessionManager>[0]> = {},
): SessionManager {
  const m = new SessionManager({ emit: (e, p) => events.push([e, p]), poolWorkers: 0, ...opts });
  managers.push(m);
  return m;
}
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.closeAll()));
});

const waitFor = async <T>(get: () => T | undefined, ms: number): Promise<T> => {
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('SessionManager', () => {
  it('runs each session in its own worker thread', async () => {
    const m = manager();
    const [a, b] = await Promise.all([m.create(xor), m.create(xor)]);
    const [pa, pb] = (await Promise.all([m.diagnose(a, 'ping'), m.diagnose(b, 'ping')])) as Array<{ threadId: number }>;
    expect(pa.threadId).toBeGreaterThan(0);
    expect(pa.threadId).not.toBe(pb.threadId);
    expect(m.info(a)).toMatchObject({ losses: ['loss'], dataset: { name: 'xor' } });
  });

  it('starts a kernel pool inside the session worker in the background', async () => {
    const m = manager([], { poolWorkers: 1 });
    const id = await m.create(xor);
    const t0 = Date.now();
    let threads = 1;
    while (threads < 2 && Date.now() - t0 < 20_000) {
      threads = ((await m.diagnose(id, 'ping')) as { poolThreads: number }).poolThreads;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(threads).toBe(2);
  });

  it('refuses unknown channels with a typed error', async () => {
    const m = manager();
    const id = await m.create(xor);
    await expect(m.call(id, 'nope' as never, {} as never)).rejects.toMatchObject({ code: 'unknown-channel' });
    await expect(m.diagnose('missing', 'ping')).rejects.toBeInstanceOf(HostError);
  });

  it('reports a killed worker when its thread exits, restarts it, and stops after 3 crashes in 5 minutes', async () => {
    const events: Array<[string, unknown]> = [];
    const m = manager(events);
    const id = await m.create(xor);
    for (let crash = 1; crash <= 3; crash++) {
      const before = events.length;
      const pending = m.diagnose(id, 'ping');
      await m.kill(id);
      // Reported from the thread's exit, not found later by a heartbeat; the wait is a hang guard.
      const ev = await waitFor(() => events.slice(before).find(([e]) => e === 'session.crashed'), 20_000);
      expect(ev[1]).toMatchObject({ sessionId: id, crashesInWindow: crash, restarting: crash < 3 });
      // The call in flight fails with a typed error, it does not hang.
      await pending.then(
        () => undefined,
        (e: unknown) => expect(e).toBeInstanceOf(HostError),
      );
      if (crash < 3) {
        await waitFor(() => events.slice(before).find(([e]) => e === 'session.restarted'), 20_000);
        expect(await m.diagnose(id, 'ping')).toMatchObject({ poolThreads: 1 });
      }
    }
    await expect(m.diagnose(id, 'ping')).rejects.toThrow(/not restarted automatically any more/);
    // The user may still restart it by hand.
    await m.restart(id);
    expect(await m.diagnose(id, 'ping')).toMatchObject({ poolThreads: 1 });
  });

  it('turns a worker out of heap memory into a clear error, not a process abort', async () => {
    const m = manager([], { heapLimitMb: 4 });
    const err = await m.create(xor).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HostError);
    expect(String((err as Error).message)).toMatch(/out of memory.*reduce the batch size/i);
  });

  it('a batch too big for the tensor budget gets a "reduce the batch size" error and the session lives on', async () => {
    const m = manager([], { tensorBudgetMb: 2 });
    const id = await m.create(xor);
    const rows = 200_000;
    const inputs = { shape: [rows, 2], data: new Array<number>(rows * 2).fill(0.5) };
    const targets = { shape: [rows, 1], data: new Array<number>(rows).fill(1) };
    await expect(
      m.call(id, 'session.loadBatch', {
        sessionId: id,
        inputs,
        targets,
      }),
    ).rejects.toThrow(/Reduce the batch size/);
    const ok = await m.call(id, 'session.loadBatch', {
      sessionId: id,
      inputs: { shape: [4, 2], data: [0, 0, 0, 1, 1, 0, 1, 1] },
      targets: { shape: [4, 1], data: [0, 1, 1, 0] },
    });
    expect(ok).toMatchObject({ size: 4 });
    expect(await m.call(id, 'session.runForward', { sessionId: id })).toMatchObject({ phase: 'forwarded' });
  });

  it('a worker killed mid-training is reported when its thread exits and restarted from its last checkpoint', async () => {
    const events: Array<[string, unknown]> = [];
    const m = manager(events);
    const project: Project = { ...xor, training: { ...xor.training, epochs: 100000 } };
    const id = await m.create(project);
    await m.call(id, 'training.start', { sessionId: id });
    // Wait for a checkpoint taken after some completed steps (one is sent at every epoch end).
    await waitFor(() => ((m.checkpointOf(id)?.step ?? 0) > 0 ? true : undefined), 20_000);
    const before = events.length;
    await m.kill(id);
    const crashed = await waitFor(() => events.slice(before).find(([e]) => e === 'session.crashed'), 20_000);
    expect(crashed[1]).toMatchObject({ restarting: true, outOfMemory: false });
    const checkpoint = m.checkpointOf(id)!;
    const restarted = await waitFor(() => events.slice(before).find(([e]) => e === 'session.restarted'), 20_000);
    expect(restarted[1]).toMatchObject({ sessionId: id, step: checkpoint.step });
    const status = await m.call(id, 'training.status', { sessionId: id });
    expect(status).toMatchObject({ state: 'idle', step: checkpoint.step });
    const w = await m.call(id, 'session.fullTensor', {
      sessionId: id,
      ref: { type: 'parameter', name: 'fc1.weight', kind: 'value' },
    });
    expect(w.tensor?.values).toEqual(Array.from(checkpoint.weights['fc1.weight'].data));
  });
});

describe('SessionManager capacity', () => {
  it('closes the least recently used idle session to make room, and says so', async () => {
    const events: Array<[string, unknown]> = [];
    const m = manager(events, { maxSessions: 2 });
    const a = await m.create(xor);
    const b = await m.create(xor);
    await m.diagnose(a, 'ping');
    const c = await m.create(xor);
    expect(m.has(b)).toBe(false);
    expect(m.has(a) && m.has(c)).toBe(true);
    expect(events.find(([e]) => e === 'session.closed')?.[1]).toMatchObject({ sessionId: b });
  });
});
