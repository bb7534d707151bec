// Training throughput of the app against the CLI on the digits MLP (issue 13: within 10%): the
// same project and settings trained by the CLI's path (compile, resolve the data set, the engine's
// loop in this thread) and by the app's (a host session: the loop in the session worker, with its
// events, edge summaries and checkpoints), in examples per second over whole runs.
import { performance } from 'node:perf_hooks';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProjectValue } from '../src/engine/graph/load';
import { compileGraph } from '../src/engine/runtime/compile';
import { resolveDataset } from '../src/engine/train/datasets';
import { trainGraph } from '../src/engine/train/train';
import { prepareTraining } from '../src/engine/train/trainingData';
import { nodeDatasetFiles } from '../src/host/data/datasetFiles';
import { closeHost, createHost } from '../src/host/createHost';
import { digitsProject } from './hostEventLoop';

type Rec = Record<string, unknown>;

const EPOCHS = 20;
const ROUNDS = 3;

/** The CLI's `train`: examples per second of one whole run (its per-epoch dev evaluation included). */
function cliRun(value: Rec): { examplesPerSecond: number; steps: number } {
  const loaded = loadProjectValue(value);
  if (!loaded.ok) throw new Error(loaded.error);
  const { project } = loaded;
  const settings = { ...project.training, epochs: EPOCHS };
  const c = compileGraph(project.graph, { seed: settings.seed });
  if (!c.ok) throw new Error(c.issues[0].message);
  const data = prepareTraining(c.model, resolveDataset(settings.dataset, settings.seed, nodeDatasetFiles()), settings);
  if (typeof data === 'string') throw new Error(data);
  const t0 = performance.now();
  const run = trainGraph(c.model, data, settings);
  let steps = 0;
  for (let r = run.next(); !r.done; r = run.next()) if (r.value.type === 'batch') steps++;
  const s = (performance.now() - t0) / 1000;
  return { examplesPerSecond: (data.split.train.length * EPOCHS) / s, steps };
}

export async function trainingThroughputBench(log: (r: Rec) => void): Promise<Rec> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-bench-'));
  const host = createHost({
    app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
    dataDir: dir,
    ...(process.env.BENCH_POOL ? { studio: { sessions: { poolWorkers: Number(process.env.BENCH_POOL) } } } : {}),
  });
  const ctx = { transport: 'direct', clientId: 'bench' } as const;
  let finished: (() => void) | null = null;
  host.onEvent((event) => {
    if (event === 'training.finished') finished?.();
  });
  const project = digitsProject('mlp');
  /** The app's way: a session (as the Training tab creates it), trained for EPOCHS epochs. */
  const appRun = async (): Promise<{ examplesPerSecond: number; steps: number }> => {
    const created = await host.invoke('session.create', { project }, ctx);
    if (!created.ok) throw new Error(created.error.message);
    const { sessionId, dataset } = created.value as { sessionId: string; dataset: { train: number } };
    const done = new Promise<void>((r) => (finished = r));
    const t0 = performance.now();
    const started = await host.invoke('training.start', { sessionId, epochs: EPOCHS }, ctx);
    if (!started.ok) throw new Error(started.error.message);
    await done;
    const s = (performance.now() - t0) / 1000;
    const status = (await host.invoke('training.status', { sessionId }, ctx)) as { ok: true; value: { step: number } };
    await host.invoke('session.close', { sessionId }, ctx);
    return { examplesPerSecond: (dataset.train * EPOCHS) / s, steps: status.value.step };
  };
  try {
    const cli: number[] = [];
    const app: number[] = [];
    // Alternated, best of ROUNDS each: the machine's other load hits both alike.
    for (let i = 0; i < ROUNDS; i++) {
      cli.push(cliRun(project).examplesPerSecond);
      app.push((await appRun()).examplesPerSecond);
    }
    const best = (v: number[]) => Math.round(Math.max(...v));
    const rec = {
      bench: 'training.throughput',
      model: 'digits mlp (64-64-10, Adam, batch 32)',
      epochs: EPOCHS,
      cliExamplesPerSecond: best(cli),
      appExamplesPerSecond: best(app),
      appOverCli: +(best(app) / best(cli)).toFixed(3),
      target: 'app ≥ 0.9 × CLI',
      rounds: { cli: cli.map(Math.round), app: app.map(Math.round) },
      loadAverage: os.loadavg()[0],
    };
    log(rec);
    return rec;
  } finally {
    await closeHost(host);
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  await trainingThroughputBench((r) => console.log(JSON.stringify(r)));
