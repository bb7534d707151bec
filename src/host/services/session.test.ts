import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeHost, createHost } from '../createHost';
import type { Host } from '../host';

const xor = JSON.parse(
  readFileSync(new URL('../../../resources/examples/xor-mlp.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const ctx = { transport: 'direct', clientId: 't' } as const;
let dir: string;
let host: Host;
const events: Array<{ event: string; payload: Record<string, unknown>; at: number }> = [];

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-session-'));
  host = createHost({
    app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
    dataDir: dir,
    studio: { sessions: { poolWorkers: 1 } },
  });
  host.onEvent((event, payload) =>
    events.push({ event, payload: payload as Record<string, unknown>, at: performance.now() }),
  );
});
afterAll(async () => {
  await closeHost(host);
  await fsp.rm(dir, { recursive: true, force: true });
});

async function ok<T = Record<string, unknown>>(channel: string, payload: unknown): Promise<T> {
  const r = await host.invoke(channel, payload, ctx);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

const waitEvent = async (pred: (e: (typeof events)[number]) => boolean, ms: number, from = 0) => {
  const t0 = Date.now();
  for (;;) {
    const e = events.slice(from).find(pred);
    if (e) return e;
    if (Date.now() - t0 > ms)
      throw new Error(
        `no matching event within ${ms} ms; last: ${JSON.stringify(events.slice(-3).map((x) => x.event))}`,
      );
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('session service', () => {
  it('steps XOR forward and backward node by node, updates, and checks a gradient against finite differences', async () => {
    const s = await ok<{ sessionId: string; order: string[]; parameters: Array<{ name: string }> }>('session.create', {
      project: xor,
    });
    const id = s.sessionId;
    expect(s.parameters.map((p) => p.name)).toContain('fc1.weight');
    expect((await host.invoke('session.stepForward', { sessionId: id }, ctx)) as unknown).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    await ok('session.loadBatch', { sessionId: id, split: 'train', indices: [0, 1, 2, 3] });
    const seen: string[] = [];
    for (;;) {
      const r = await ok<{ report: { nodeId: string } | null; phase: string }>('session.stepForward', {
        sessionId: id,
      });
      if (r.report === null) break;
      seen.push(r.report.nodeId);
      if (r.phase === 'forwarded') break;
    }
    expect(seen).toEqual(s.order);
    const e1 = await ok<{ summary: { shape: number[] } }>('session.edgeSummary', {
      sessionId: id,
      edgeId: 'e1',
      kind: 'activation',
    });
    expect(e1.summary.shape).toEqual([4, 2]);
    const back = await ok<{ reports: Array<{ nodeId: string }>; phase: string; loss: number }>('session.runBackward', {
      sessionId: id,
    });
    expect(back.phase).toBe('backwarded');
    expect(back.reports[0].nodeId).toBe('loss');
    expect(back.loss).toBeGreaterThan(0);
    const g = await ok<{ summary: { l2: number } }>('session.parameterSummary', {
      sessionId: id,
      name: 'fc1.weight',
      kind: 'gradient',
    });
    expect(g.summary.l2).toBeGreaterThan(0);
    const check = await ok<{ maxRelError: number; entries: unknown[] }>('session.gradCheck', {
      sessionId: id,
      ref: { type: 'parameter', name: 'fc1.weight' },
      samples: 6,
    });
    expect(check.entries.length).toBe(6);
    expect(check.maxRelError).toBeLessThan(1e-3);
    const edgeCheck = await ok<{ maxRelError: number }>('session.gradCheck', {
      sessionId: id,
      ref: { type: 'edge', edgeId: 'e2' },
    });
    expect(edgeCheck.maxRelError).toBeLessThan(1e-3);
    const before = await ok<{ tensor: { values: number[] } }>('session.fullTensor', {
      sessionId: id,
      ref: { type: 'parameter', name: 'fc1.weight', kind: 'value' },
    });
    const upd = await ok<{ step: number; phase: string }>('session.applyUpdate', { sessionId: id });
    expect(upd).toMatchObject({ step: 1, phase: 'updated' });
    const prev = await ok<{ tensor: { values: number[] } }>('session.fullTensor', {
      sessionId: id,
      ref: { type: 'parameter', name: 'fc1.weight', kind: 'previous' },
    });
    expect(prev.tensor.values).toEqual(before.tensor.values);
    const delta = await ok<{ summary: { l2: number } }>('session.parameterSummary', {
      sessionId: id,
      name: 'fc1.weight',
      kind: 'update',
    });
    expect(delta.summary.l2).toBeGreaterThan(0);
    // After the update, a gradient check recomputes the gradients at the new weights.
    const again = await ok<{ maxRelError: number }>('session.gradCheck', {
      sessionId: id,
      ref: { type: 'parameter', name: 'fc2.weight' },
      samples: 4,
    });
    expect(again.maxRelError).toBeLessThan(1e-3);
    expect(
      await host.invoke('session.edgeSummary', { sessionId: id, edgeId: 'nope', kind: 'activation' }, ctx),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // Trained weights go into the project file and come back in a new session.
    const w = await ok<{ step: number; weights: Record<string, { shape: number[]; data: number[] }> }>(
      'session.weights',
      { sessionId: id },
    );
    expect(w.step).toBe(1);
    expect(w.weights['fc1.weight'].shape).toEqual([8, 2]);
    const again2 = await ok<{ sessionId: string }>('session.create', { project: { ...xor, weights: w.weights } });
    const w2 = await ok<{ weights: Record<string, { data: number[] }> }>('session.weights', {
      sessionId: again2.sessionId,
    });
    expect(w2.weights['fc2.weight'].data).toEqual(w.weights['fc2.weight'].data);
    await ok('session.close', { sessionId: again2.sessionId });
    await ok('session.close', { sessionId: id });
    expect(await host.invoke('session.reset', { sessionId: id }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  // The 100 ms acknowledgement is measured in bench/hostEventLoop.ts; here the order of things is checked.
  it('trains with bounded events, pauses and stops at the next batch, and keeps the weights of the last completed step', async () => {
    const project = { ...xor, training: { ...(xor.training as object), epochs: 100000, batchSize: 4 } };
    const { sessionId } = await ok<{ sessionId: string }>('session.create', { project });
    const from = events.length;
    await ok('training.start', { sessionId, epochs: 100000 });
    await waitEvent((e) => e.event === 'training.progress' && e.payload.sessionId === sessionId, 10_000, from);
    const t0 = performance.now();
    expect(await ok('training.pause', { sessionId })).toEqual({ acknowledged: true });
    const paused = await waitEvent((e) => e.event === 'training.state' && e.payload.state === 'paused', 5000, from);
    expect(paused.at).toBeGreaterThan(t0);
    const st1 = await ok<{ step: number; state: string; batchSeries: unknown[] }>('training.status', { sessionId });
    expect(st1.state).toBe('paused');
    await new Promise((r) => setTimeout(r, 200));
    const st2 = await ok<{ step: number }>('training.status', { sessionId });
    expect(st2.step).toBe(st1.step);
    // Weights equal those of the last completed step: the checkpoint the host holds matches the worker's.
    const w = await ok<{ tensor: { values: number[] } }>('session.fullTensor', {
      sessionId,
      ref: { type: 'parameter', name: 'fc2.weight', kind: 'value' },
    });
    expect(w.tensor.values.every(Number.isFinite)).toBe(true);
    await ok('training.resume', { sessionId });
    await waitEvent(
      (e) => e.event === 'training.state' && e.payload.state === 'running' && e.at > paused.at,
      5000,
      from,
    );
    await new Promise((r) => setTimeout(r, 600));
    expect(await ok('training.stop', { sessionId })).toEqual({ acknowledged: true });
    const fin = await waitEvent(
      (e) => e.event === 'training.finished' && e.payload.sessionId === sessionId,
      10_000,
      from,
    );
    expect(fin.payload.reason).toBe('stopped');
    const final = await ok<{ state: string; step: number; batchSeries: unknown[] }>('training.status', { sessionId });
    const mine = events.slice(from).filter((e) => e.payload.sessionId === sessionId);
    // Coalesced: at most ~10 progress and ~10 edge events a second, whatever the batch rate.
    const spanS = (mine[mine.length - 1].at - mine[0].at) / 1000;
    const count = (name: string) => mine.filter((e) => e.event === name).length;
    // XOR runs thousands of batches and dozens of epochs a second; the events stay near 10/s each
    // and never outnumber the steps. (No step-rate floor: a loaded CI machine may run slowly.)
    for (const name of ['training.progress', 'training.metrics', 'training.epoch', 'training.edges']) {
      expect(count(name), name).toBeLessThanOrEqual(Math.min(final.step, Math.ceil(spanS * 10) + 6));
    }
    expect(final.state).toBe('stopped');
    expect(final.step).toBeGreaterThan(st1.step);
    expect(final.batchSeries.length).toBeLessThanOrEqual(1000);
    const edges = mine.find((e) => e.event === 'training.edges');
    expect(Object.keys((edges?.payload.activations ?? {}) as object)).toContain('e1');
    await ok('session.close', { sessionId });
  });

  it('stops on a NaN/Inf in the step where it appears and names the first node that produced it', async () => {
    // Targets of 1e30: the squared error (1e60) overflows float32 in the loss node.
    const rows = ['x1,x2,y', '1,2,1e30', '3,1,2', '2,1,0', '1,1,1'].join('\n');
    const imp = await ok<{ dataset: { name: string; params: Record<string, unknown> } }>('datasets.importCsv', {
      content: rows,
      fileName: 'huge.csv',
      task: 'regression',
    });
    const node = (id: string, type: string, params: Record<string, unknown>) => ({
      id,
      type,
      params,
      position: { x: 0, y: 0 },
    });
    const edge = (id: string, source: string, target: string, targetPort: string) => ({
      id,
      source,
      sourcePort: 'out',
      target,
      targetPort,
    });
    const project = {
      ...xor,
      graph: {
        nodes: [
          node('x', 'Input', { shape: [2] }),
          node('fc', 'Linear', { out_features: 1 }),
          node('y', 'Target', { kind: 'real-targets', shape: [1] }),
          node('loss', 'MSELoss', {}),
        ],
        edges: [edge('e1', 'x', 'fc', 'input'), edge('e2', 'fc', 'loss', 'input'), edge('e3', 'y', 'loss', 'target')],
      },
      training: {
        ...(xor.training as object),
        dataset: imp.dataset,
        split: { train: 1, dev: 0, test: 0 },
        batchSize: 4,
        epochs: 5,
      },
    };
    const { sessionId } = await ok<{ sessionId: string }>('session.create', { project });
    const before = await ok<{ tensor: { values: number[] } }>('session.fullTensor', {
      sessionId,
      ref: { type: 'parameter', name: 'fc.weight', kind: 'value' },
    });
    const from = events.length;
    await ok('training.start', { sessionId });
    const failed = await waitEvent(
      (e) => e.event === 'training.failed' && e.payload.sessionId === sessionId,
      10_000,
      from,
    );
    expect(failed.payload.nodeId).toBe('loss');
    expect(String(failed.payload.reason)).toMatch(/"loss"/);
    expect(failed.payload.step).toBe(0);
    const after = await ok<{ tensor: { values: number[] } }>('session.fullTensor', {
      sessionId,
      ref: { type: 'parameter', name: 'fc.weight', kind: 'value' },
    });
    expect(after.tensor.values).toEqual(before.tensor.values);
    await ok('session.close', { sessionId });
  });

  it('draws the decision boundary of a 2-D model and counts its confusion matrix', async () => {
    const { sessionId } = await ok<{ sessionId: string }>('session.create', { project: xor });
    const grid = await ok<{ labels: number[]; confidence: number[]; resolution: number; xMin: number; xMax: number }>(
      'session.decisionBoundary',
      { sessionId, resolution: 16 },
    );
    expect(grid.labels.length).toBe(256);
    expect(grid.labels.every((l) => l === 0 || l === 1)).toBe(true);
    expect(grid.confidence.every((c) => c >= 0.5 && c <= 1)).toBe(true);
    expect(grid.xMin).toBeLessThan(-1);
    const cm = await ok<{ matrix: number[][]; samples: number }>('session.confusionMatrix', {
      sessionId,
      split: 'train',
    });
    expect(cm.matrix.flat().reduce((a, b) => a + b, 0)).toBe(cm.samples);
    // Training moves the boundary: after a few epochs XOR is mostly right.
    const from = events.length;
    await ok('training.start', { sessionId, epochs: 60 });
    await waitEvent((e) => e.event === 'training.finished' && e.payload.sessionId === sessionId, 30_000, from);
    const after = await ok<{ matrix: number[][] }>('session.confusionMatrix', { sessionId, split: 'train' });
    const correct = after.matrix[0][0] + after.matrix[1][1];
    expect(correct / cm.samples).toBeGreaterThan(0.9);
    // New settings for a further run keep the weights; bad ones are refused naming the field.
    const training = { ...(xor.training as Record<string, unknown>) };
    const bad = await host.invoke(
      'training.start',
      { sessionId, epochs: 2, training: { ...training, batchSize: 0 } },
      ctx,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request', where: 'batchSize' } });
    const from2 = events.length;
    await ok('training.start', {
      sessionId,
      epochs: 2,
      training: { ...training, optimizer: { ...(training.optimizer as object), type: 'adam', lr: 0.01 } },
    });
    const fin = await waitEvent(
      (e) => e.event === 'training.finished' && e.payload.sessionId === sessionId,
      30_000,
      from2,
    );
    expect(fin.payload.epoch).toBe(62);
    expect((fin.payload.train as { accuracy: number }).accuracy).toBeGreaterThan(0.85);
    await ok('session.close', { sessionId });
  });

  it('draws the fitted curve of a 1-D regression, closer to its points after training', async () => {
    const regression = JSON.parse(
      readFileSync(new URL('../../../resources/examples/regression.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const { sessionId } = await ok<{ sessionId: string }>('session.create', { project: regression });
    type Curve = { xs: number[]; ys: number[]; train: { x: number; y: number }[]; dev: { x: number; y: number }[] };
    const before = await ok<Curve>('session.fittedCurve', { sessionId, resolution: 50 });
    expect(before.xs).toHaveLength(50);
    expect(before.ys).toHaveLength(50);
    // 300 samples split 80/20: every train and dev point, in the data's range.
    expect(before.train).toHaveLength(240);
    expect(before.dev).toHaveLength(60);
    const xMin = Math.min(...before.train.map((p) => p.x));
    const xMax = Math.max(...before.train.map((p) => p.x));
    expect(before.xs[0]).toBeLessThan(xMin);
    expect(before.xs[49]).toBeGreaterThan(xMax);
    // The curve's squared error on the points (read off by linear interpolation) falls with training.
    const error = (c: Curve): number => {
      let sum = 0;
      for (const p of c.dev) {
        const i = Math.min(
          c.xs.length - 2,
          Math.floor(((p.x - c.xs[0]) / (c.xs[c.xs.length - 1] - c.xs[0])) * (c.xs.length - 1)),
        );
        const f = (p.x - c.xs[i]) / (c.xs[i + 1] - c.xs[i]);
        sum += (c.ys[i] + f * (c.ys[i + 1] - c.ys[i]) - p.y) ** 2;
      }
      return sum / c.dev.length;
    };
    const from = events.length;
    await ok('training.start', { sessionId, epochs: 40 });
    await waitEvent((e) => e.event === 'training.finished' && e.payload.sessionId === sessionId, 30_000, from);
    const after = await ok<Curve>('session.fittedCurve', { sessionId, resolution: 50 });
    expect(after.train).toEqual(before.train);
    expect(error(after)).toBeLessThan(error(before) / 2);
    // A classifier of 2 features has no curve: refused, not drawn wrong.
    const { sessionId: xorId } = await ok<{ sessionId: string }>('session.create', { project: xor });
    expect(await host.invoke('session.fittedCurve', { sessionId: xorId }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    await ok('session.close', { sessionId });
    await ok('session.close', { sessionId: xorId });
  });

  it('refuses to create a session for a graph that cannot run, naming the node', async () => {
    const graph = JSON.parse(JSON.stringify(xor.graph)) as {
      nodes: Array<{ id: string; params: Record<string, unknown> }>;
    };
    graph.nodes.find((n) => n.id === 'x')!.params.shape = [3];
    const y = graph.nodes.find((n) => n.id === 'fc2')!;
    y.params.out_features = 4;
    const r = await host.invoke('session.create', { project: { ...xor, graph } }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request', where: 'loss' } });
    if (!r.ok) expect(r.error.message).toMatch(/shape/i);
    // A document that is not a project is refused by the host's loader before any thread starts.
    const bad = await host.invoke('session.create', { project: { format: 'nope' } }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    if (!bad.ok) expect(bad.error.message).toMatch(/not a Backprop Studio project/);
  });

  it('reports a CSV error with its line number', async () => {
    const r = await host.invoke(
      'datasets.importCsv',
      { content: 'a,b,y\n1,2,0\n3,oops,1\n', fileName: 'bad.csv' },
      ctx,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request', where: 'line 3' } });
  });

  it('runs concurrent sessions independently', async () => {
    const ids = await Promise.all(
      [0, 1, 2].map(async () => (await ok<{ sessionId: string }>('session.create', { project: xor })).sessionId),
    );
    await Promise.all(
      ids.map((id, k) => ok('session.loadBatch', { sessionId: id, split: 'train', indices: [k, k + 1] })),
    );
    const results = await Promise.all(
      ids.map((id) => ok<{ loss: number; phase: string }>('session.runForward', { sessionId: id })),
    );
    for (const r of results) expect(r.phase).toBe('forwarded');
    await Promise.all(ids.map((id) => ok('session.applyUpdate', { sessionId: id }).catch(() => undefined)));
    await Promise.all(ids.map((id) => ok('session.runBackward', { sessionId: id })));
    const steps = await Promise.all(ids.map((id) => ok<{ step: number }>('session.applyUpdate', { sessionId: id })));
    expect(steps.map((s) => s.step)).toEqual([1, 1, 1]);
    await Promise.all(ids.map((id) => ok('session.close', { sessionId: id })));
  });

  it('turns and shifts the images of a loaded batch (the equivariance lab), and refuses a network without images', async () => {
    const cnn = JSON.parse(
      readFileSync(new URL('../../../resources/examples/digits-cnn.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const { sessionId } = await ok<{ sessionId: string }>('session.create', { project: cnn });
    const input = async () =>
      (
        await ok<{ tensor: { values: number[] } }>('session.fullTensor', {
          sessionId,
          ref: { type: 'edge', edgeId: 'e1', kind: 'activation' },
        })
      ).tensor.values;
    await ok('session.loadBatch', { sessionId, split: 'train', indices: [5] });
    await ok('session.runForward', { sessionId });
    const x = await input();
    await ok('session.loadBatch', {
      sessionId,
      split: 'train',
      indices: [5],
      transform: { rotate: 1, shiftY: 0, shiftX: 2 },
    });
    await ok('session.runForward', { sessionId });
    const y = await input();
    // torch.roll(torch.rot90(x, 1, (-2, -1)), (0, 2), (-2, -1)): y[i][j] = rot[i][j − 2] = x[j − 2][7 − i].
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) expect(y[i * 8 + j]).toBe(x[((j - 2 + 8) % 8) * 8 + (7 - i)]);
    await ok('session.close', { sessionId });

    const mlp = await ok<{ sessionId: string }>('session.create', { project: xor });
    const r = await host.invoke(
      'session.loadBatch',
      { sessionId: mlp.sessionId, split: 'train', indices: [0], transform: { rotate: 1, shiftY: 0, shiftX: 0 } },
      ctx,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/only images can be turned or shifted/);
    await ok('session.close', { sessionId: mlp.sessionId });
  });
});
