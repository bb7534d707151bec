// The app and the CLI train with the same engine loop: the same project and seed must give the
// same per-epoch numbers through a session worker (training.start) and `backprop-studio train`.
import { spawnSync } from 'node:child_process';
import { promises as fsp, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHost, createHost } from '../createHost';
import type { Host } from '../host';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ctx = { transport: 'direct', clientId: 'parity' } as const;
const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({
  id,
  type,
  params,
  position: { x: 0, y: 0 },
});
const edge = (id: string, source: string, target: string, targetPort = 'input') => ({
  id,
  source,
  sourcePort: 'out',
  target,
  targetPort,
});

/**
 * Moons with an MLP whose output regresses the 0/1 labels under a summed MSE: the case where
 * the app and the CLI used to disagree (threshold 0 vs 0.5, evaluation loss scaled by the batch).
 */
function project(
  loss: string,
  reduction: 'mean' | 'sum',
  optimizer: Record<string, unknown>,
  training: Record<string, unknown> = {},
) {
  return {
    format: 'backprop-studio',
    version: 2,
    name: `parity ${loss} ${reduction}`,
    graph: {
      nodes: [
        node('x', 'Input', { shape: [2] }),
        node('fc1', 'Linear', { out_features: 8 }),
        node('act', 'Tanh'),
        node('fc2', 'Linear', { out_features: 1 }),
        node('y', 'Target', { kind: 'binary-labels', shape: [1] }),
        node('loss', loss, { reduction }),
      ],
      edges: [
        edge('e1', 'x', 'fc1'),
        edge('e2', 'fc1', 'act'),
        edge('e3', 'act', 'fc2'),
        edge('e4', 'fc2', 'loss'),
        edge('e5', 'y', 'loss', 'target'),
      ],
    },
    training: {
      dataset: { name: 'moons', params: { n: 150, noise: 0.2 } },
      split: { train: 0.7, dev: 0.2, test: 0.1 },
      optimizer: {
        type: 'sgd',
        lr: 0.05,
        momentum: 0.9,
        nesterov: false,
        weightDecay: 0,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        ...optimizer,
      },
      batchSize: 16,
      epochs: 6,
      seed: 5,
      standardize: true,
      earlyStopping: { enabled: false, patience: 10 },
      ...training,
    },
  };
}

type Metrics = { loss: number | null; accuracy: number | null };
let dir: string;
let host: Host;
const events: Array<{ event: string; payload: Record<string, unknown> }> = [];

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-parity-'));
  host = createHost({
    app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
    dataDir: dir,
    studio: { sessions: { poolWorkers: 1 } },
  });
  host.onEvent((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));
});
afterAll(async () => {
  await closeHost(host);
  await fsp.rm(dir, { recursive: true, force: true });
});

async function ok<T>(channel: string, payload: unknown): Promise<T> {
  const r = await host.invoke(channel, payload, ctx);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** Per-epoch train and dev metrics and the final ones, as a session worker reports them. */
async function viaHost(p: unknown, startWith?: unknown) {
  const { sessionId } = await ok<{ sessionId: string }>('session.create', { project: p });
  const from = events.length;
  await ok('training.start', startWith === undefined ? { sessionId } : { sessionId, training: startWith });
  const t0 = Date.now();
  const mine = () => events.slice(from).filter((e) => e.payload.sessionId === sessionId);
  while (!mine().some((e) => e.event === 'training.finished' || e.event === 'training.failed')) {
    if (Date.now() - t0 > 30_000) throw new Error('training did not finish within 30 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  const train: Metrics[] = [];
  const dev: Metrics[] = [];
  for (const e of mine().filter((x) => x.event === 'training.epoch')) {
    const pts = (s: unknown) =>
      ((s as { points: Metrics[] } | null)?.points ?? []).map(({ loss, accuracy }) => ({ loss, accuracy }));
    train.push(...pts(e.payload.train));
    dev.push(...pts(e.payload.dev));
  }
  const fin = mine().find((e) => e.event === 'training.finished');
  await ok('session.close', { sessionId });
  return { train, dev, final: fin?.payload as { train: Metrics; dev: Metrics; test: Metrics } | undefined };
}

/** The same through `backprop-studio train`. */
function viaCli(p: unknown, name: string) {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(p));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'backprop-studio.js'), 'train', file], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, Metrics & { n: number }>);
  const pick = (m: Metrics | null) => (m ? { loss: m.loss, accuracy: m.accuracy } : null);
  const epochs = lines.filter((l) => !('final' in l));
  const final = lines.find((l) => 'final' in l)!;
  return {
    train: epochs.map((l) => pick(l.train)),
    dev: epochs.map((l) => pick(l.dev)),
    final: { train: pick(final.train), dev: pick(final.dev), test: pick(final.test) },
  };
}

describe('the app and the CLI train with the same loop', () => {
  const cases: Array<[string, 'mean' | 'sum', Record<string, unknown>, Record<string, unknown>?]> = [
    ['MSELoss', 'sum', { lr: 0.005 }],
    ['L1Loss', 'mean', { type: 'adam', lr: 0.01 }],
    ['BCEWithLogitsLoss', 'sum', { type: 'adamw', lr: 0.01, weightDecay: 0.01 }],
    // Every other setting the Training tab edits: Nesterov momentum with weight decay, a split seed
    // of its own, no standardisation, shuffled labels, and early stopping that restores the best
    // epoch's weights (so the final metrics are that epoch's).
    [
      'BCEWithLogitsLoss',
      'mean',
      { lr: 0.2, momentum: 0.9, nesterov: true, weightDecay: 0.001 },
      {
        split: { train: 0.6, dev: 0.3, test: 0.1, seed: 11 },
        standardize: false,
        shuffleLabels: true,
        earlyStopping: { enabled: true, patience: 2 },
        batchSize: 8,
      },
    ],
  ];
  for (const [loss, reduction, optimizer, training] of cases) {
    it(`gives identical per-epoch and final metrics for ${loss} (${reduction}${training ? ', every setting' : ''}) with the same seed`, async () => {
      const p = project(loss, reduction, optimizer, training);
      const cli = viaCli(p, `${loss}-${reduction}${training ? '-all' : ''}`);
      const app = await viaHost(p);
      if (!training) expect(cli.train).toHaveLength(6);
      else expect(cli.train.length).toBeGreaterThanOrEqual(3);
      expect(app.train).toEqual(cli.train);
      expect(app.dev).toEqual(cli.dev);
      expect(app.final).toMatchObject(cli.final);
      // The numbers are real ones: a classification accuracy on every epoch, a finite loss.
      for (const m of cli.train) {
        expect(m!.accuracy).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(m!.loss)).toBe(true);
      }
    }, 60_000);
  }

  it('takes settings given at training.start that change the data, shuffled labels included', async () => {
    const shuffled = project('BCEWithLogitsLoss', 'mean', { type: 'adam', lr: 0.01 }, { shuffleLabels: true });
    const plain = project('BCEWithLogitsLoss', 'mean', { type: 'adam', lr: 0.01 });
    const cli = viaCli(shuffled, 'shuffled-at-start');
    // The session opens with true labels; the settings sent with Train shuffle them.
    const app = await viaHost(plain, shuffled.training);
    expect(app.train).toEqual(cli.train);
    expect(app.dev).toEqual(cli.dev);
    expect(app.train).not.toEqual(viaCli(plain, 'plain-at-start').train);
  }, 60_000);
});
