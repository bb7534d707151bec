// Training throughput of the app against the CLI on the digits MLP (issue 13: within 10%): the
// same project and settings trained by the CLI (a child process) and by the app's way (a host
// session: the loop in the session worker, with its events, edge summaries and checkpoints), in
// examples per second over whole runs. Both start cold (a fresh process, a fresh worker): an
// in-process loop warmed by earlier rounds would look several times faster than either.
import { performance } from 'node:perf_hooks';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { closeHost, createHost } from '../src/host/createHost';
import { digitsProject } from './hostEventLoop';

type Rec = Record<string, unknown>;

const EPOCHS = 60;
const ROUNDS = 3;

/**
 * The CLI itself (`backprop-studio train`, a fresh process like the app's fresh session worker):
 * examples per second over the run, from the `seconds` its final line reports (the loop, its
 * per-epoch dev evaluation and the final evaluation; not the process start).
 */
function cliRun(file: string, trainSize: number): { examplesPerSecond: number } {
  const out = execFileSync(process.execPath, ['bin/backprop-studio.js', 'train', file, '--epochs', String(EPOCHS)], {
    encoding: 'utf8',
  });
  const final = JSON.parse(out.trim().split('\n').at(-1)!) as { seconds: number; epochs: number };
  return { examplesPerSecond: (trainSize * final.epochs) / final.seconds };
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
  const file = path.join(dir, 'digits-mlp.json');
  await fsp.writeFile(file, JSON.stringify(project));
  let trainSize = 0;
  /** The app's way: a session (as the Training tab creates it), trained for EPOCHS epochs. */
  const appRun = async (): Promise<{ examplesPerSecond: number; steps: number }> => {
    const created = await host.invoke('session.create', { project }, ctx);
    if (!created.ok) throw new Error(created.error.message);
    const { sessionId, dataset } = created.value as { sessionId: string; dataset: { train: number } };
    trainSize = dataset.train;
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
      app.push((await appRun()).examplesPerSecond);
      cli.push(cliRun(file, trainSize).examplesPerSecond);
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
