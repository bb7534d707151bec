// Training throughput of the app against the CLI on the digits MLP (issue 13: within 10%): the
// same project and settings trained by the CLI (a child process) and by the app's way (a host
// session: the loop in the session worker, with its events, edge summaries and checkpoints), in
// examples per second over whole runs. Both start cold (a fresh process, a fresh worker): an
// in-process loop warmed by earlier rounds would look several times faster than either. The
// session is trained once its kernel pool is up, as in the app, where the step session has been
// open (and its pool started) since the project was loaded.
//
// On a shared machine a single run says little: the rounds alternate (app, CLI, app, …) so a burst
// of load from other processes hits both, and the medians are compared.
import { performance } from 'node:perf_hooks';
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Host } from '../src/host/host';
import { appHandlers, dialogHandlers, DocumentStates } from '../src/host/services/app';
import { createStudio } from '../src/host/services/studio';
import { defaultPoolWorkers } from '../src/host/workers/nodeKernelPool';
import { registerEngine } from '../src/engine/register';
import { digitsProject } from './hostEventLoop';

type Rec = Record<string, unknown>;

/** Epochs per run and rounds per side (`BENCH_EPOCHS`, `BENCH_ROUNDS` override them). */
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

/**
 * The CLI itself (`backprop-studio train`, a fresh process like the app's fresh session worker):
 * examples per second over the run, from the `seconds` its final line reports (the loop, its
 * per-epoch dev evaluation and the final evaluation; not the process start), and the process's
 * CPU seconds (user + system, from /usr/bin/time where it exists, else null).
 */
function cliRun(file: string, trainSize: number, epochs: number): { examplesPerSecond: number; cpu: number | null } {
  const args = ['bin/backprop-studio.js', 'train', file, '--epochs', String(epochs)];
  const timed = existsSync('/usr/bin/time');
  const r = spawnSync(
    timed ? '/usr/bin/time' : process.execPath,
    timed ? ['-f', 'cpu %U %S', process.execPath, ...args] : args,
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`backprop-studio train failed: ${r.stderr}`);
  const final = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number; epochs: number };
  const t = /cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { examplesPerSecond: (trainSize * final.epochs) / final.seconds, cpu: t ? Number(t[1]) + Number(t[2]) : null };
}

/** CPU seconds (user + system) of every thread of this process so far, from /proc (Linux), else null. */
function processCpu(): number | null {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 (1-based), in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const load = (): number => +os.loadavg()[0].toFixed(2);

export async function trainingThroughputBench(log: (r: Rec) => void): Promise<Rec> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-bench-'));
  // The host as createHost builds it, keeping its session manager to ask when the kernel pool is up.
  let host: Host | null = null;
  const studio = createStudio({
    dataDir: dir,
    emit: (event, payload) => host?.emit(event as never, payload as never),
    ...(process.env.BENCH_POOL ? { sessions: { poolWorkers: Number(process.env.BENCH_POOL) } } : {}),
  });
  const app = { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' } as const;
  host = new Host({
    ...appHandlers(app, new DocumentStates()),
    ...dialogHandlers(undefined, () => undefined),
    ...studio.handlers,
  });
  const ctx = { transport: 'direct', clientId: 'bench' } as const;
  let finished: (() => void) | null = null;
  let events = 0;
  host.onEvent((event) => {
    events++;
    if (event === 'training.finished') finished?.();
  });
  const project = digitsProject('mlp');
  const file = path.join(dir, 'digits-mlp.json');
  await fsp.writeFile(file, JSON.stringify(project));
  let trainSize = 0;
  let poolThreads = 1;
  /** The app's way: a session (as the Training tab uses it), trained for EPOCHS epochs. */
  const appRun = async (
    epochs = EPOCHS,
  ): Promise<{ examplesPerSecond: number; events: number; cpu: number | null }> => {
    const created = await host.invoke('session.create', { project }, ctx);
    if (!created.ok) throw new Error(created.error.message);
    const { sessionId, dataset } = created.value as { sessionId: string; dataset: { train: number } };
    trainSize = dataset.train;
    // The kernel pool starts in the background; the app's session has long had it (hang guard 2 min).
    const want = 1 + (process.env.BENCH_POOL ? Number(process.env.BENCH_POOL) : defaultPoolWorkers());
    for (let i = 0; i < 1200; i++) {
      poolThreads = ((await studio.sessions.diagnose(sessionId, 'ping')) as { poolThreads: number }).poolThreads;
      if (poolThreads >= want) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const done = new Promise<void>((r) => (finished = r));
    const events0 = events;
    const cpu0 = processCpu();
    const t0 = performance.now();
    const started = await host.invoke('training.start', { sessionId, epochs }, ctx);
    if (!started.ok) throw new Error(started.error.message);
    await done;
    const s = (performance.now() - t0) / 1000;
    const cpu1 = processCpu();
    const n = events - events0;
    await host.invoke('session.close', { sessionId }, ctx);
    return {
      examplesPerSecond: (dataset.train * epochs) / s,
      events: n,
      cpu: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
    };
  };
  try {
    const cli: number[] = [];
    const appRate: number[] = [];
    // Examples per CPU second, which the other processes on the machine hardly change: each
    // side's whole process (the app's: API thread, session worker, kernel pool, V8's helper
    // threads) over a run of EPOCHS epochs less a run of one epoch, which leaves out the start
    // (the CLI's loading and compiling, the first epoch's JIT) on both sides alike.
    const cliCpuRate: number[] = [];
    const appCpuRate: number[] = [];
    const rounds: Rec[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const loadBefore = load();
      const a = await appRun();
      const c = cliRun(file, trainSize, EPOCHS);
      const a1 = await appRun(1);
      const c1 = cliRun(file, trainSize, 1);
      appRate.push(a.examplesPerSecond);
      cli.push(c.examplesPerSecond);
      const cliCpu = c.cpu !== null && c1.cpu !== null ? (trainSize * (EPOCHS - 1)) / (c.cpu - c1.cpu) : null;
      const appCpu = a.cpu !== null && a1.cpu !== null ? (trainSize * (EPOCHS - 1)) / (a.cpu - a1.cpu) : null;
      if (cliCpu !== null && appCpu !== null) {
        cliCpuRate.push(cliCpu);
        appCpuRate.push(appCpu);
      }
      rounds.push({
        app: Math.round(a.examplesPerSecond),
        cli: Math.round(c.examplesPerSecond),
        appOverCli: +(a.examplesPerSecond / c.examplesPerSecond).toFixed(3),
        ...(cliCpu !== null && appCpu !== null
          ? {
              appPerCpuSecond: Math.round(appCpu),
              cliPerCpuSecond: Math.round(cliCpu),
              cpuAppOverCli: +(appCpu / cliCpu).toFixed(3),
            }
          : {}),
        appEvents: a.events,
        loadAverage: [loadBefore, load()],
      });
    }
    const rec = {
      bench: 'training.throughput',
      model: 'digits mlp (64-64-10, Adam, batch 32)',
      epochs: EPOCHS,
      rounds: ROUNDS,
      poolThreads,
      cliExamplesPerSecond: Math.round(median(cli)),
      appExamplesPerSecond: Math.round(median(appRate)),
      appOverCli: +(median(appRate) / median(cli)).toFixed(3),
      medianOfRoundRatios: +median(appRate.map((a, i) => a / cli[i]!)).toFixed(3),
      target: 'app ≥ 0.9 × CLI (medians)',
      ...(appCpuRate.length > 0
        ? {
            appExamplesPerCpuSecond: Math.round(median(appCpuRate)),
            cliExamplesPerCpuSecond: Math.round(median(cliCpuRate)),
            cpuAppOverCli: +(median(appCpuRate) / median(cliCpuRate)).toFixed(3),
          }
        : {}),
      perRound: rounds,
      loadAverage: load(),
      cores: os.availableParallelism(),
    };
    log(rec);
    return rec;
  } finally {
    await studio.close();
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  registerEngine();
  await trainingThroughputBench((r) => console.log(JSON.stringify(r)));
}
