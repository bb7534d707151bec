// Kernel pool benchmark (issue 6): matmul inline vs on the Node kernel pool, and the size from
// which the pool pays off (the threshold used by src/engine/parallel/kernelPool.ts).
import { gemm } from '../src/engine/kernels/gemm/gemm';
import {
  getParallelThreshold,
  getPathChooser,
  setKernelPool,
  setParallelThreshold,
} from '../src/engine/parallel/kernelPool';
import { gemmParallel as parallelMatMulGemm } from '../src/engine/kernels/gemm/gemm';
import { NodeKernelPool } from '../src/host/workers/nodeKernelPool';
import { registerEngine } from '../src/engine/register';

// The benchmarks' entry registers the engine's kernels and gradients, as the app's entries do.
registerEngine();

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

function sharedRandom(n: number, seed: number, dtype: 'float32' | 'float64' = 'float32'): Float32Array | Float64Array {
  const a =
    dtype === 'float32'
      ? new Float32Array(new SharedArrayBuffer(n * 4))
      : new Float64Array(new SharedArrayBuffer(n * 8));
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

function timeSize(
  pool: NodeKernelPool,
  n: number,
  reps: number,
  budgetMs: number,
  dtype: 'float32' | 'float64' = 'float32',
): { inlineMs: number; poolMs: number } {
  const a = sharedRandom(n * n, 1, dtype);
  const b = sharedRandom(n * n, 2, dtype);
  const c = sharedRandom(n * n, 3, dtype);
  const A = { data: a, off: 0, rs: n, cs: 1 };
  const B = { data: b, off: 0, rs: n, cs: 1 };
  const inlineMs = medianMs(() => gemm(n, n, n, A, B, c, 0, false), reps, budgetMs);
  // The task gemmParallel hands the pool (kernels/MatMul.ts), forced onto the pool.
  const task = {
    kernel: 'MatMul',
    arrays: [a, b, c],
    writes: [2],
    scalars: [n, n, n, 0, n, 1, 0, n, 1, 0, 0],
    rows: n,
    rowAlign: n >= 256 ? 16 : 4,
  };
  const poolMs = medianMs(() => pool.run(task), reps, budgetMs);
  return { inlineMs, poolMs };
}

/** Runs the kernel pool benchmark; prints one JSON line per measurement when `log` is set. */
export async function hostKernelPoolBench(
  log: (record: Record<string, unknown>) => void = (r) => console.log(JSON.stringify(r)),
): Promise<KernelPoolBenchResult> {
  const pool = await NodeKernelPool.create();
  const savedThreshold = getParallelThreshold();
  try {
    const speedups: MatMulSpeedup[] = [];
    for (const size of [256, 512, 1024]) {
      const { inlineMs, poolMs } = timeSize(pool, size, size >= 1024 ? 3 : 5, size >= 1024 ? 4000 : 1500);
      const r = { size, inlineMs, poolMs, speedup: inlineMs / poolMs };
      speedups.push(r);
      log({
        bench: 'host.kernelPool.matmul',
        dtype: 'float32',
        kernel: 'wasm-simd',
        threads: pool.threads,
        ...round(r),
      });
    }
    // float64 runs the plain-JS blocked kernel (gradient checks use it): more work per element.
    for (const size of [256, 512, 1024]) {
      const { inlineMs, poolMs } = timeSize(pool, size, 3, size >= 1024 ? 4000 : 1500, 'float64');
      log({
        bench: 'host.kernelPool.matmul',
        dtype: 'float64',
        kernel: 'js',
        threads: pool.threads,
        ...round({ size, inlineMs, poolMs, speedup: inlineMs / poolMs }),
      });
    }
    // The crossover: the smallest size from which the pool won at every larger size measured.
    let crossoverSize: number | null = null;
    for (const size of [16, 24, 32, 48, 64, 96, 128, 192, 256]) {
      const { inlineMs, poolMs } = timeSize(pool, size, 20, 400);
      log({
        bench: 'host.kernelPool.threshold',
        size,
        work: size ** 3,
        ...round({ inlineMs, poolMs, speedup: inlineMs / poolMs }),
      });
      if (poolMs < inlineMs * 0.95) crossoverSize ??= size;
      else crossoverSize = null;
    }
    // What the engine does on its own: the path chooser times both paths and keeps the faster.
    setParallelThreshold(savedThreshold);
    setKernelPool(pool);
    for (const size of [128, 512]) {
      const a = sharedRandom(size * size, 3);
      const c = sharedRandom(size * size, 4);
      const A = { data: a, off: 0, rs: size, cs: 1 };
      for (let i = 0; i < 40; i++) parallelMatMulGemm(size, size, size, A, A, c, 0, false);
    }
    for (const s of getPathChooser().snapshot()) {
      log({
        bench: 'host.kernelPool.chooser',
        kernel: s.kernel,
        sizeClass: `2^${s.sizeClass}`,
        inlineNsPerMultiplyAdd: round1(s.inlineNsPerWork),
        poolNsPerMultiplyAdd: round1(s.poolNsPerWork),
        chosen: s.poolNsPerWork < s.inlineNsPerWork ? 'pool' : 'inline',
      });
    }
    const result = {
      threads: pool.threads,
      speedups,
      crossoverSize,
      crossoverWork: crossoverSize === null ? null : crossoverSize ** 3,
    };
    log({
      bench: 'host.kernelPool.crossover',
      crossoverSize,
      crossoverWork: result.crossoverWork,
      defaultThreshold: savedThreshold,
    });
    return result;
  } finally {
    setKernelPool(null);
    setParallelThreshold(savedThreshold);
    await pool.close();
  }
}

function round1(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function round<T extends Record<string, number>>(r: T): T {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r)) out[k] = Math.round(v * 1000) / 1000;
  return out as T;
}

if (import.meta.url === `file://${process.argv[1]}`) await hostKernelPoolBench();
