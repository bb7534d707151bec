// Event-loop delay of the thread that serves the API (perf_hooks.monitorEventLoopDelay) while a
// model trains in a session worker (issue 6: p99 under 20 ms). The digits CNN is used when the
// engine can compile it; otherwise the digits MLP, and the record says which.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeHost, createHost } from '../src/host/createHost';

type Rec = Record<string, unknown>;

const node = (id: string, type: string, params: Rec) => ({ id, type, params, position: { x: 0, y: 0 } });
const edge = (id: string, source: string, target: string, targetPort = 'input') => ({
  id,
  source,
  sourcePort: 'out',
  target,
  targetPort,
});

export function digitsProject(kind: 'cnn' | 'mlp'): Rec {
  const layers =
    kind === 'cnn'
      ? [
          node('x', 'Input', { shape: [1, 8, 8] }),
          node('conv1', 'Conv2d', { out_channels: 8, kernel_size: 3, padding: 1 }),
          node('relu1', 'ReLU', {}),
          node('pool1', 'MaxPool2d', { kernel_size: 2 }),
          node('conv2', 'Conv2d', { out_channels: 16, kernel_size: 3, padding: 1 }),
          node('relu2', 'ReLU', {}),
          node('pool2', 'MaxPool2d', { kernel_size: 2 }),
          node('flat', 'Flatten', {}),
          node('fc', 'Linear', { out_features: 10 }),
        ]
      : [
          node('x', 'Input', { shape: [64] }),
          node('fc1', 'Linear', { out_features: 64 }),
          node('relu1', 'ReLU', {}),
          node('fc', 'Linear', { out_features: 10 }),
        ];
  const nodes = [
    ...layers,
    node('y', 'Target', { kind: 'class-labels', shape: [] }),
    node('loss', 'CrossEntropyLoss', {}),
  ];
  const edges = layers.slice(1).map((n, i) => edge(`e${i}`, layers[i].id, n.id));
  edges.push(edge('eL', 'fc', 'loss'), edge('eY', 'y', 'loss', 'target'));
  return {
    format: 'backprop-studio',
    version: 2,
    name: `digits ${kind}`,
    description: '',
    graph: { nodes, edges },
    training: {
      dataset: { name: 'digits', params: {} },
      split: { train: 0.7, dev: 0.15, test: 0.15 },
      optimizer: {
        type: 'adam',
        lr: 0.001,
        momentum: 0,
        nesterov: false,
        weightDecay: 0,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
      },
      batchSize: 32,
      epochs: 1000,
      seed: 0,
      standardize: false,
      earlyStopping: { enabled: false, patience: 10 },
    },
  };
}

/** Serves pings for `seconds` while measuring the event-loop delay and utilisation of this thread. */
async function measure(host: ReturnType<typeof createHost>, seconds: number, sessionId: string | null): Promise<Rec> {
  const ctx = { transport: 'direct', clientId: 'bench' } as const;
  const h = monitorEventLoopDelay({ resolution: 1 });
  const elu0 = performance.eventLoopUtilization();
  h.enable();
  let n = 0;
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    await host.invoke('app.ping', { nonce: 'x' }, ctx);
    // A UI polls the full status rarely (on reconnect); events carry the rest.
    if (sessionId !== null && ++n % 20 === 0) void host.invoke('training.status', { sessionId }, ctx);
    await new Promise((r) => setTimeout(r, 50));
  }
  h.disable();
  const elu = performance.eventLoopUtilization(elu0);
  return {
    p50Ms: h.percentile(50) / 1e6,
    p99Ms: h.percentile(99) / 1e6,
    maxMs: h.max / 1e6,
    utilization: Math.round(elu.utilization * 1000) / 1000,
  };
}

const states: { state: string; at: number }[] = [];

async function waitState(state: string, after: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const s = states.find((x) => x.state === state && x.at > after);
    if (s) return s.at;
    if (Date.now() - t0 > 10_000) throw new Error(`training never reached "${state}"`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Pause, resume and stop while training: how long until acknowledged, and until in effect (next batch). */
async function controlLatency(host: ReturnType<typeof createHost>, sessionId: string): Promise<Rec> {
  const ctx = { transport: 'direct', clientId: 'bench' } as const;
  const round = (x: number) => Math.round(x * 100) / 100;
  let t = performance.now();
  await host.invoke('training.pause', { sessionId }, ctx);
  const pauseAckMs = performance.now() - t;
  const pauseEffectMs = (await waitState('paused', t)) - t;
  t = performance.now();
  await host.invoke('training.resume', { sessionId }, ctx);
  const resumeAckMs = performance.now() - t;
  const resumeEffectMs = (await waitState('running', t)) - t;
  await new Promise((r) => setTimeout(r, 300));
  t = performance.now();
  await host.invoke('training.stop', { sessionId }, ctx);
  const stopAckMs = performance.now() - t;
  const stopEffectMs = (await waitState('stopped', t)) - t;
  return {
    pauseAckMs: round(pauseAckMs),
    pauseEffectMs: round(pauseEffectMs),
    resumeAckMs: round(resumeAckMs),
    resumeEffectMs: round(resumeEffectMs),
    stopAckMs: round(stopAckMs),
    stopEffectMs: round(stopEffectMs),
  };
}

export async function hostEventLoopBench(log: (r: Rec) => void, seconds = 8): Promise<Rec> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-bench-'));
  const host = createHost({
    app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
    dataDir: dir,
  });
  const ctx = { transport: 'direct', clientId: 'bench' } as const;
  let eventCount = 0;
  host.onEvent((event, payload) => {
    eventCount++;
    if (event === 'training.state') states.push({ state: (payload as { state: string }).state, at: performance.now() });
  });
  try {
    let model: 'cnn' | 'mlp' = 'cnn';
    let created = await host.invoke('session.create', { project: digitsProject('cnn') }, ctx);
    let note: string | undefined;
    if (!created.ok) {
      note = `digits CNN not available (${created.error.message}); measured with the digits MLP`;
      model = 'mlp';
      created = await host.invoke('session.create', { project: digitsProject('mlp') }, ctx);
    }
    if (!created.ok) throw new Error(created.error.message);
    const { sessionId } = created.value as { sessionId: string };
    const started = await host.invoke('training.start', { sessionId }, ctx);
    if (!started.ok) throw new Error(started.error.message);
    // The API thread keeps serving while the worker trains: a ping every 50 ms, like a UI would.
    const during = await measure(host, seconds, sessionId);
    const status = (await host.invoke('training.status', { sessionId }, ctx)) as {
      ok: true;
      value: { step: number; epoch: number };
    };
    const control = await controlLatency(host, sessionId);
    await host.invoke('training.stop', { sessionId }, ctx);
    // The same measurement with nothing training: what the machine itself costs (other processes).
    const idle = await measure(host, Math.min(4, seconds), null);
    const rec = {
      bench: 'host.eventLoopDelay',
      model: `digits ${model}`,
      ...(note !== undefined ? { note } : {}),
      seconds,
      ...during,
      idle,
      control,
      trainingSteps: status.value.step,
      stepsPerSecond: Math.round((status.value.step / seconds) * 10) / 10,
      events: eventCount,
      loadAverage: os.loadavg()[0],
      cores: os.availableParallelism(),
    };
    log(rec);
    return rec;
  } finally {
    await closeHost(host);
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await hostEventLoopBench((r) => console.log(JSON.stringify(r)));
