// Kernel pool benchmark (issue 6): matmul inline vs on the Node kernel pool, and the size from
// which the pool pays off (the threshold used by src/engine/parallel/kernelPool.ts).
import { gemm } from '../src/engine/kernels/MatMul';
import { getParallelThreshold, setKernelPool, setParallelThreshold } from '../src/engine/parallel/kernelPool';
import { gemmParallel as parallelMatMulGemm } from '../src/engine/kernels/MatMul';
import { NodeKernelPool } from '../src/host/workers/nodeKernelPool';

export interface MatMulSpeedup {
  size: number;
  inlineMs: number;
  poolMs: number;
  speedup: number;
}

export interface KernelPoolBenchResult {
  threads: number;
  speedups: MatMulSpeedup[];
  /** Smallest measured cube size n (n×n×n) at which the pool was faster, and its work n³. */
  crossoverSize: number | null;
  crossoverWork: number | null;
}

function sharedRandom(n: number, seed: number): Float32Array {
  const a = new Float32Array(new SharedArrayBuffer(n * 4));
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

function medianMs(fn: () => void, minReps: number, budgetMs: number): number {
  fn(); // warm-up (JIT, pack buffers)
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < minReps || (performance.now() - t0 < budgetMs && times.length < 200)) {
    const s = performance.now();
    fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function timeSize(n: number, reps: number, budgetMs: number): { inlineMs: number; poolMs: number } {
  const a = sharedRandom(n * n, 1);
  const b = sharedRandom(n * n, 2);
  const c = new Float32Array(new SharedArrayBuffer(n * n * 4));
  const A = { data: a, off: 0, rs: n, cs: 1 };
  const B = { data: b, off: 0, rs: n, cs: 1 };
  const inlineMs = medianMs(() => gemm(n, n, n, A, B, c, 0, false), reps, budgetMs);
  const poolMs = medianMs(() => parallelMatMulGemm(n, n, n, A, B, c, 0, false), reps, budgetMs);
  return { inlineMs, poolMs };
}

/** Runs the kernel pool benchmark; prints one JSON line per measurement when `log` is set. */
export async function hostKernelPoolBench(log: (record: Record<string, unknown>) => void = (r) => console.log(JSON.stringify(r))): Promise<KernelPoolBenchResult> {
  const pool = await NodeKernelPool.create();
  const savedThreshold = getParallelThreshold();
  setKernelPool(pool);
  setParallelThreshold(0);
  try {
    const speedups: MatMulSpeedup[] = [];
    for (const size of [256, 512, 1024]) {
      const { inlineMs, poolMs } = timeSize(size, size >= 1024 ? 3 : 5, size >= 1024 ? 4000 : 1500);
      const r = { size, inlineMs, poolMs, speedup: inlineMs / poolMs };
      speedups.push(r);
      log({ bench: 'host.kernelPool.matmul', threads: pool.threads, ...round(r) });
    }
    let crossoverSize: number | null = null;
    for (const size of [16, 24, 32, 48, 64, 96, 128, 192]) {
      const { inlineMs, poolMs } = timeSize(size, 20, 400);
      log({ bench: 'host.kernelPool.threshold', size, work: size ** 3, ...round({ inlineMs, poolMs, speedup: inlineMs / poolMs }) });
      if (crossoverSize === null && poolMs < inlineMs * 0.95) crossoverSize = size;
    }
    const result = {
      threads: pool.threads,
      speedups,
      crossoverSize,
      crossoverWork: crossoverSize === null ? null : crossoverSize ** 3,
    };
    log({ bench: 'host.kernelPool.crossover', crossoverSize, crossoverWork: result.crossoverWork, defaultThreshold: savedThreshold });
    return result;
  } finally {
    setKernelPool(null);
    setParallelThreshold(savedThreshold);
    await pool.close();
  }
}

function round<T extends Record<string, number>>(r: T): T {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r)) out[k] = Math.round(v * 1000) / 1000;
  return out as T;
}

if (import.meta.url === `file://${process.argv[1]}`) await hostKernelPoolBench();
