// Time travel through a real session: train the spiral example in its worker, then replay
// recorded steps and step from one of them.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeHost, createHost } from '../createHost';
import type { Host } from '../host';
import type { Channel, Request, Response } from '../../shared/api/contract';

const spiral = JSON.parse(
  readFileSync(new URL('../../../resources/examples/spiral3-mlp.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const ctx = { transport: 'direct', clientId: 't' } as const;
let dir: string;
let host: Host;
const events: Array<{ event: string; payload: Record<string, unknown> }> = [];

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-timetravel-'));
  host = createHost({
    app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
    dataDir: dir,
    studio: { sessions: { poolWorkers: 0 } },
  });
  host.onEvent((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));
});
afterAll(async () => {
  await closeHost(host);
  await fsp.rm(dir, { recursive: true, force: true });
});

async function ok<C extends Channel>(channel: C, payload: Request<C>): Promise<Response<C>> {
  const r = await host.invoke(channel, payload, ctx);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as Response<C>;
}

async function finished(sessionId: string): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    if (events.some((e) => e.event === 'training.finished' && e.payload.sessionId === sessionId)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('training did not finish');
}

describe('time travel through training', () => {
  it('replays recorded steps as training showed them, and steps from one at its weights', async () => {
    const project = { ...spiral, training: { ...(spiral.training as object), epochs: 40 } };
    const { sessionId } = await ok('session.create', { project });
    await ok('training.start', { sessionId });
    await finished(sessionId);

    // 40 epochs of 8 batches: the small MLP's steps all fit the default budget's cap.
    const h = await ok('training.history', { sessionId });
    expect(h.bytes).toBeLessThanOrEqual(h.budgetBytes);
    expect(h.capacity).toBeGreaterThanOrEqual(256);
    expect(h.steps.length).toBe(Math.min(320, h.capacity!));
    expect(h.steps.at(-1)!.step).toBe(320);
    expect(h.note).toBeNull();
    console.log(`spiral MLP: ${h.bytes / h.steps.length} bytes a step; ${h.capacity} steps in ${h.budgetBytes} bytes`);

    // Every edge event training sent live equals the replay of its step.
    const live = events.filter((e) => e.event === 'training.edges' && e.payload.sessionId === sessionId);
    expect(live.length).toBeGreaterThan(0);
    for (const e of live.slice(-5)) {
      const step = e.payload.step as number;
      const r = await ok('training.replay', { sessionId, step });
      expect(r.activations).toEqual(e.payload.activations);
      expect(r.gradients).toEqual(e.payload.gradients);
      expect(r.boundary).toBeNull();
    }

    // 50 steps back the boundary is another one.
    const last = h.steps.at(-1)!.step;
    const back = await ok('training.replay', { sessionId, step: last - 50, boundary: { resolution: 32 } });
    const end = await ok('training.replay', { sessionId, step: last, boundary: { resolution: 32 } });
    const differ = back.boundary!.labels.filter((v, i) => v !== end.boundary!.labels[i]).length;
    expect(differ).toBeGreaterThan(0);
    // Replay puts the current weights back.
    const before = await ok('session.weights', { sessionId });

    // Step from there: the step session holds that step's weights and batch, and a pass over it
    // shows exactly what training recorded for that step; its boundary is the replayed one.
    const from = await ok('training.stepFrom', { sessionId, step: last - 50 });
    expect(from.step).toBe(last - 51);
    expect(from.size).toBe(32);
    const fwd = await ok('session.runForward', { sessionId });
    const bwd = await ok('session.runBackward', { sessionId });
    for (const [edge, s] of Object.entries(back.activations)) expect(fwd.tensors.edges[edge], edge).toEqual(s);
    for (const [edge, s] of Object.entries(back.gradients)) expect(bwd.tensors.edges[edge], edge).toEqual(s);
    // The parameters too: their values forward, and the gradients backward (the step panel's bars).
    for (const [name, p] of Object.entries(back.parameters)) {
      expect(fwd.tensors.parameters[name], name).toEqual(p.value);
      expect(bwd.tensors.parameters[name], name).toEqual(p.gradient);
    }
    expect(Object.keys(back.parameters)).toHaveLength(6);
    const grid = await ok('session.decisionBoundary', { sessionId, resolution: 32 });
    expect(grid).toEqual(back.boundary);
    const after = await ok('session.weights', { sessionId });
    expect(after.weights).not.toEqual(before.weights);

    // The steps after that point are another future now: forgotten.
    const h2 = await ok('training.history', { sessionId });
    expect(h2.steps.at(-1)!.step).toBe(last - 51);
    const gone = await host.invoke('training.replay', { sessionId, step: last }, ctx);
    expect(gone).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await ok('session.close', { sessionId });
  }, 120_000);
});
