// Time travel through a real session: train the spiral example in its worker, then replay
// recorded steps and step from one of them.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeHost, createHost } from '../createHost';
import type { Host } from '../host';
import { spiralWithDropout } from '../workers/spiralWithDropout.test-support';
import type { Channel, Request, Response } from '../../shared/api/contract';

const spiral = JSON.parse(
  readFileSync(new URL('../../../resources/examples/spiral3-mlp.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const bits = JSON.parse(
  readFileSync(new URL('../../../resources/examples/rnn-bits.json', import.meta.url), 'utf8'),
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

    // 40 epochs of 8 batches: all kept. A step keeps its weights and batch (about 3 KB on this
    // MLP, its edges are recomputed on replay), so the budget holds thousands of steps.
    const h = await ok('training.history', { sessionId });
    expect(h.bytes).toBeLessThanOrEqual(h.budgetBytes);
    expect(h.capacity).toBeGreaterThanOrEqual(2048);
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
    // The weights the next step computed with: those the step 50 back gave in its update.
    const next = await ok('training.replay', { sessionId, step: last - 49 });

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
    // With the optimizer's state the run had before that step (Adam's moments and step count), its
    // update gives the weights the next step computed with, as the run's did.
    await ok('session.applyUpdate', { sessionId });
    for (const [name, p] of Object.entries(next.parameters)) {
      const value = await ok('session.parameterSummary', { sessionId, name, kind: 'value' });
      expect(value.summary, name).toEqual(p.value);
    }

    // The steps after that point are another future now: forgotten.
    const h2 = await ok('training.history', { sessionId });
    expect(h2.steps.at(-1)!.step).toBe(last - 51);
    const gone = await host.invoke('training.replay', { sessionId, step: last }, ctx);
    expect(gone).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await ok('session.close', { sessionId });
  }, 120_000);

  it('replays the unrolled view of an RNN at a recorded step as a pass from that step computes it', async () => {
    const project = { ...bits, training: { ...(bits.training as object), epochs: 1 } };
    const { sessionId } = await ok('session.create', { project });
    await ok('training.start', { sessionId });
    await finished(sessionId);
    const h = await ok('training.history', { sessionId });
    expect(h.steps.length).toBeGreaterThan(4);
    const step = h.steps[2].step;
    const before = await ok('session.weights', { sessionId });
    // A pass of the live weights in the step session, which the replay must leave as it is.
    await ok('session.loadBatch', { sessionId, split: 'train', indices: [0, 1, 2, 3] });
    await ok('session.runForward', { sessionId });
    await ok('session.runBackward', { sessionId });
    const live = await ok('session.unrolled', { sessionId, nodeId: 'rnn' });
    const liveGrad = await ok('session.parameterSummary', { sessionId, name: 'rnn.weight_hh_l0', kind: 'gradient' });

    const r = await ok('training.replay', { sessionId, step, unrolled: { nodeId: 'rnn' } });
    const u = r.unrolled!;
    expect(u).toMatchObject({ cell: 'RNN', ran: true, backward: true, steps: 6 });
    expect(u.gradNorms!.every((g) => g !== null && g > 0)).toBe(true);
    // Another step, another pass; the same step again, the same numbers; the live weights untouched.
    const other = await ok('training.replay', { sessionId, step: h.steps.at(-1)!.step, unrolled: { nodeId: 'rnn' } });
    expect(other.unrolled!.gradNorms).not.toEqual(u.gradNorms);
    expect((await ok('training.replay', { sessionId, step, unrolled: { nodeId: 'rnn' } })).unrolled).toEqual(u);
    expect((await ok('session.weights', { sessionId })).weights).toEqual(before.weights);
    expect(await ok('session.unrolled', { sessionId, nodeId: 'rnn' })).toEqual(live);
    expect(await ok('session.parameterSummary', { sessionId, name: 'rnn.weight_hh_l0', kind: 'gradient' })).toEqual(
      liveGrad,
    );
    // Without the option there is none; an unknown node is refused.
    expect((await ok('training.replay', { sessionId, step })).unrolled).toBeNull();
    const bad = await host.invoke('training.replay', { sessionId, step, unrolled: { nodeId: 'nope' } }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'not-found' } });

    // Step from there, a forward and a backward pass: session.unrolled gives the same view, bit for bit.
    await ok('training.stepFrom', { sessionId, step });
    await ok('session.runForward', { sessionId });
    await ok('session.runBackward', { sessionId });
    expect(await ok('session.unrolled', { sessionId, nodeId: 'rnn' })).toEqual(u);
    await ok('session.close', { sessionId });
  }, 120_000);

  it('replays an RNN step with dropout exactly: the masks it drew are drawn again', async () => {
    const g = bits.graph as { nodes: Array<Record<string, unknown>>; edges: Array<Record<string, unknown>> };
    const graph = {
      ...g,
      nodes: [...g.nodes, { id: 'drop', type: 'Dropout', params: { p: 0.2 }, position: { x: 270, y: 160 } }],
      edges: [
        ...g.edges.filter((e) => e.id !== 'e2'),
        { id: 'e2', source: 'rnn', sourcePort: 'hidden', target: 'drop', targetPort: 'input' },
        { id: 'e2b', source: 'drop', sourcePort: 'out', target: 'fc', targetPort: 'input' },
      ],
    };
    const project = { ...bits, graph, training: { ...(bits.training as object), epochs: 1 } };
    const { sessionId } = await ok('session.create', { project });
    await ok('training.start', { sessionId });
    await finished(sessionId);
    const h = await ok('training.history', { sessionId });
    const step = h.steps[1].step;
    const r = await ok('training.replay', { sessionId, step, unrolled: { nodeId: 'rnn' } });
    expect(r.unrolled).toMatchObject({ cell: 'RNN', ran: true, backward: true, steps: 6 });
    expect(r.unrolled!.note ?? '').not.toMatch(/cannot be replayed/);
    // Step from there and a pass: the same masks, so the same view and the same edges, bit for bit.
    await ok('training.stepFrom', { sessionId, step });
    const fwd = await ok('session.runForward', { sessionId });
    const bwd = await ok('session.runBackward', { sessionId });
    expect(await ok('session.unrolled', { sessionId, nodeId: 'rnn' })).toEqual(r.unrolled);
    expect(fwd.tensors.masks?.e2b).toBeDefined();
    for (const [edge, s] of Object.entries(r.activations)) expect(fwd.tensors.edges[edge], edge).toEqual(s);
    for (const [edge, s] of Object.entries(r.gradients)) expect(bwd.tensors.edges[edge], edge).toEqual(s);
    await ok('session.close', { sessionId });
  }, 120_000);

  it('replays the tape of a recorded step as a pass from that step records it', async () => {
    const project = { ...spiral, training: { ...(spiral.training as object), epochs: 2 } };
    const { sessionId } = await ok('session.create', { project });
    await ok('training.start', { sessionId });
    await finished(sessionId);
    const h = await ok('training.history', { sessionId });
    const step = h.steps[3].step;
    // A pass of the live weights in the step session, whose tape the replay leaves as it is.
    await ok('session.loadBatch', { sessionId, split: 'train', indices: [0, 1, 2, 3] });
    await ok('session.runForward', { sessionId });
    const live = await ok('session.tape', { sessionId });

    const r = await ok('training.replay', { sessionId, step, tape: {} });
    const tape = r.tape!;
    expect(tape.note).toBeNull();
    expect(tape.ops.length).toBeGreaterThan(0);
    // The forward and the backward pass of the step: every op backpropagated.
    expect(tape.ops.every((o) => o.backward !== 'pending')).toBe(true);
    // Its parameters are the weights and gradients the replay reports for the step panel.
    const params = tape.tensors.filter((t) => t.kind === 'parameter');
    expect(params.map((t) => t.label).sort()).toEqual(Object.keys(r.parameters).sort());
    for (const t of params) {
      expect(t.gradientFinal, t.label).toBe(true);
      expect(t.value.l2, t.label).toBe(r.parameters[t.label].value.l2);
      expect(t.gradient?.l2, t.label).toBe(r.parameters[t.label].gradient?.l2);
    }
    // One node's ops; another step, other weights; the live tape untouched.
    const fc = (await ok('training.replay', { sessionId, step, tape: { nodeId: 'fc1' } })).tape!;
    expect(fc.nodeId).toBe('fc1');
    expect(fc.ops.map((o) => o.kernel)).toEqual(['MatMul', 'Add']);
    const other = (await ok('training.replay', { sessionId, step: h.steps.at(-1)!.step, tape: {} })).tape!;
    const weight = (t: typeof tape) => t.tensors.find((x) => x.label === 'fc1.weight')!.value.l2;
    expect(weight(other)).not.toBe(weight(tape));
    expect(await ok('session.tape', { sessionId })).toEqual(live);
    expect((await ok('training.replay', { sessionId, step })).tape).toBeNull();

    // Step from there, a forward and a backward pass: session.tape gives the same ops and tensors
    // (the engine's tensor ids aside, which number every tensor of the process).
    await ok('training.stepFrom', { sessionId, step });
    await ok('session.runForward', { sessionId });
    await ok('session.runBackward', { sessionId });
    const again = await ok('session.tape', { sessionId });
    const withoutIds = (t: typeof tape) => ({
      ops: t.ops.map((o) => [o.kernel, o.nodeId, o.attrs, o.backward]),
      tensors: t.tensors.map((x) => [x.kind, x.label.replace(/#\d+/, ''), x.value, x.gradient]),
    });
    expect(withoutIds(again)).toEqual(withoutIds(tape));
    await ok('session.close', { sessionId });
  }, 120_000);

  it('replays every step of a network with dropout as training showed it', async () => {
    const withDropout = spiralWithDropout();
    const project = { ...withDropout, training: { ...withDropout.training, epochs: 12 } };
    const { sessionId } = await ok('session.create', { project });
    const start = events.length;
    await ok('training.start', { sessionId });
    await finished(sessionId);
    const live = events.slice(start).filter((e) => e.event === 'training.edges' && e.payload.sessionId === sessionId);
    expect(live.length).toBeGreaterThan(0);
    for (const e of live.slice(-5)) {
      const r = await ok('training.replay', { sessionId, step: e.payload.step as number });
      expect(r.activations).toEqual(e.payload.activations);
      expect(r.gradients).toEqual(e.payload.gradients);
      expect(Object.keys(r.gradients)).toContain('eDrop');
    }
    await ok('session.close', { sessionId });
  }, 120_000);
});
