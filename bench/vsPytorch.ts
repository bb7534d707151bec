// The engine against PyTorch on the same CPU in one run (issue 16): sgemm and the course's
// training steps, each timed in interleaved rounds (engine, PyTorch, engine, …) so a burst of load
// from other processes hits both alike. Prints one line per workload with both medians and the
// ratio engine/PyTorch (< 1: the engine is faster) next to its goal, then a summary.
//
// NOTE: on a shared machine wall-clock medians mostly measure the other processes; the ratio
// is therefore judged on process CPU time per call (both sides are single-threaded), with the
// wall-clock ratio beside it. The pooled sgemm (two threads) is judged by wall time: CPU time
// would count both cores.
//
// PyTorch runs in a child /usr/bin/python3 with one intra-op thread (bench/pytorch_workloads.py);
// without torch the suite says so and stops. `npm run bench -- pytorch` runs this suite alone.
import { loadavg } from 'node:os';
import type { BenchLog } from './run';
import { round } from './engineTiming';
import { engineMlpStep, engineSgemmShared, MLP_MNIST, MLP_SPIRAL, type MlpWorkload } from './engineWorkloads';
import { engineConvNetStep, engineRnnStep } from './layersEngine';
import { CONV_NET, RNN_TASK } from './layersWorkloads';
import { startTorch, type Samples, type TorchWorkload } from './pytorchRunner';
import { setKernelPool } from '../src/engine/parallel/kernelPool';
import { NodeKernelPool } from '../src/host/workers/nodeKernelPool';

interface Case {
  name: string;
  torch: TorchWorkload;
  /** Builds the engine's side; returns the call to time and its cleanup. */
  engine: () => { run: () => void; dispose: () => void };
  /** The goal for this workload. */
  goal: { maxRatio?: number; minGflops?: number };
  /** Floating-point operations per call (sgemm), for GFLOP/s. */
  flops?: number;
  /** Runs the engine with the kernel pool installed (both cores). */
  pool?: boolean;
}

const ROUNDS = 3;
/** Wall time each implementation gets per round, to pick a repetition count. */
const ROUND_MS = 400;
/** Calls shorter than this are timed in groups, so that the clocks' resolution does not matter. */
const GROUP_MS = 2;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function mlpCase(w: MlpWorkload, maxRatio: number): Case {
  return {
    name: w.name,
    torch: { kind: 'mlp', sizes: w.sizes, activation: w.activation, batch: w.batch, lr: w.lr },
    engine: () => engineMlpStep(w),
    goal: { maxRatio },
  };
}

function sgemmCase(n: number, pool: boolean): Case {
  return {
    name: `sgemm${n}${pool ? '-pool' : ''}`,
    torch: { kind: 'sgemm', n },
    engine: () => engineSgemmShared(n),
    goal: pool ? { minGflops: 60 } : {},
    flops: 2 * n ** 3,
    pool,
  };
}

const CASES: Case[] = [
  mlpCase(MLP_MNIST, 2),
  mlpCase(MLP_SPIRAL, 0.2),
  {
    name: 'convnet',
    torch: { kind: 'convnet', ...CONV_NET },
    engine: engineConvNetStep,
    goal: { maxRatio: 2 },
  },
  { name: 'rnn', torch: { kind: 'rnn', ...RNN_TASK }, engine: engineRnnStep, goal: { maxRatio: 2 } },
  sgemmCase(512, false),
  sgemmCase(1024, false),
  sgemmCase(512, true),
  sgemmCase(1024, true),
];

function timeEngine(run: () => void, reps: number, group: number): Samples {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let g = 0; g < group; g++) run();
    wall.push((performance.now() - t0) / group);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / group);
  }
  return { wall, cpu };
}

export async function runVsPytorchBench(log: BenchLog): Promise<void> {
  const torch = await startTorch(1);
  if ('unavailable' in torch) {
    log({ bench: 'vsPytorch', skipped: `PyTorch unavailable (${torch.unavailable})` });
    return;
  }
  // NOTE: the reference BLAS (~6 GFLOP/s) makes every ratio flattering and meaningless; say so
  // loudly and judge no goal rather than print "met" (one run did, before OpenBLAS was installed).
  const comparable = /openblas|mkl|blis/i.test(torch.blas);
  if (!comparable) {
    console.error(
      `PyTorch loaded ${torch.blas}, not an optimised BLAS: the ratios below are not comparable and no goal is judged. ` +
        'Install libopenblas0-pthread or set BENCH_TORCH_BLAS_DIR (docs/engine.md).',
    );
  }
  const load0 = loadavg()[0];
  let pool: NodeKernelPool | null = null;
  const summary: Record<string, unknown> = {};
  try {
    for (const c of CASES) {
      // The pool starts only for the cases that use it, so its threads cannot disturb the others.
      if (c.pool === true) pool ??= await NodeKernelPool.create();
      setKernelPool(c.pool === true ? pool : null);
      const e = c.engine();
      for (let i = 0; i < 3; i++) e.run(); // warm-up: JIT, compiled kernels, pack buffers, the pool's path choice
      const once = median(timeEngine(e.run, 3, 1).wall);
      const group = Math.max(1, Math.floor(GROUP_MS / Math.max(once, 1e-3)));
      const reps = Math.max(3, Math.min(200, Math.round(ROUND_MS / (group * Math.max(once, 1e-3)))));
      const mine: Samples = { wall: [], cpu: [] };
      const theirs: Samples = { wall: [], cpu: [] };
      for (let r = 0; r < ROUNDS; r++) {
        const m = timeEngine(e.run, reps, group);
        const t = await torch.time(c.torch, reps, group, r === 0 ? 3 : 1);
        mine.wall.push(...m.wall);
        mine.cpu.push(...m.cpu);
        theirs.wall.push(...t.wall);
        theirs.cpu.push(...t.cpu);
      }
      e.dispose();
      const em = median(mine.wall);
      const tm = median(theirs.wall);
      const ecpu = median(mine.cpu);
      const tcpu = median(theirs.cpu);
      const ratio = c.pool === true ? em / tm : ecpu / tcpu;
      const rec: Record<string, unknown> = {
        bench: 'vsPytorch',
        workload: c.name,
        engineMs: round(em),
        pytorchMs: round(tm),
        engineCpuMs: round(ecpu),
        pytorchCpuMs: round(tcpu),
        ratio: round(ratio, 3),
        wallRatio: round(em / tm, 3),
        samples: mine.wall.length,
        group,
      };
      if (c.pool === true) rec.engineThreads = pool?.threads;
      if (c.flops !== undefined) {
        // Single-threaded products by CPU time (see the NOTE above), the pooled one by wall time.
        rec.engineGflops = round(c.flops / (c.pool === true ? em : ecpu) / 1e6, 3);
        rec.pytorchGflops = round(c.flops / (c.pool === true ? tm : tcpu) / 1e6, 3);
      }
      if (c.goal.maxRatio !== undefined) rec.goal = `ratio <= ${c.goal.maxRatio}`;
      if (c.goal.minGflops !== undefined) rec.goal = `>= ${c.goal.minGflops} GFLOP/s`;
      if (rec.goal !== undefined && !comparable && c.goal.maxRatio !== undefined) rec.met = null;
      else if (rec.goal !== undefined) {
        rec.met =
          c.goal.maxRatio !== undefined ? ratio <= c.goal.maxRatio : (rec.engineGflops as number) >= c.goal.minGflops!;
      }
      log(rec);
      summary[c.name] = c.flops !== undefined ? `${String(rec.engineGflops)} GFLOP/s` : round(ratio, 3);
    }
  } finally {
    setKernelPool(null);
    torch.close();
    await pool?.close();
  }
  log({
    bench: 'vsPytorch.summary',
    torch: torch.version,
    torchThreads: torch.threads,
    torchBlas: torch.blas,
    ...(comparable ? {} : { warning: 'PyTorch runs on a reference BLAS: the ratios are not comparable' }),
    loadAvg1m: [round(load0, 3), round(loadavg()[0], 3)],
    ...summary,
  });
}
