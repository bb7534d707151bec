/**
 * The worker-pool interface the kernels use (pure: no Node, no DOM).
 *
 * A kernel that can be split by rows exports a *range kernel* (see rangeKernels.ts): the same
 * pure function, told to compute rows [rowStart, rowEnd) only. `runRows` then either calls it
 * once over all rows on this thread, or hands it to the installed pool, which splits the rows
 * in chunks over its worker threads and blocks until every chunk is done. The kernel never
 * knows which: both paths run the very same function on the very same arrays.
 *
 * The engine installs no pool by itself; the Node host installs one in its session workers
 * (src/host/workers). In the renderer or with no pool everything runs inline.
 */

/** Arrays a range kernel reads and writes. */
export type PoolArray = Float32Array | Float64Array;

export interface RowTask {
  /** Name of the range kernel in rangeKernels.ts (workers look it up by name). */
  kernel: string;
  /** Arrays the kernel reads or writes; written ones are listed in `writes`. */
  arrays: PoolArray[];
  /** Indices into `arrays` of the arrays the kernel writes (copied back when not shared). */
  writes: number[];
  /** Plain numbers: sizes, offsets, strides, flags. */
  scalars: number[];
  /** The task covers rows [0, rows). */
  rows: number;
  /** Rows per chunk are rounded to a multiple of this (e.g. 4 for a 4-row register tile). */
  rowAlign?: number;
}

export interface KernelPool {
  /** Threads that compute a task, counting the calling thread. */
  readonly threads: number;
  /** Runs the task over all its rows; returns when every row is done. Throws if a worker failed. */
  run(task: RowTask): void;
}

/** The signature of a range kernel. */
export type RangeKernel = (arrays: PoolArray[], scalars: readonly number[], rowStart: number, rowEnd: number) => void;

let pool: KernelPool | null = null;

/**
 * Multiply-adds below which a task runs inline: handing work to other threads costs a fixed
 * 20-50 µs. Measured by `bench/hostKernelPool.ts` on the 2-core reference machine (one kernel
 * worker + the caller): matmul n×n×n on the pool took 0.59×/0.22×/0.75× the inline speed at
 * n = 16/32/48, 1.11× at 64, 1.31× at 96 and 1.59× at 128. The threshold is the measured
 * crossover, 64³ multiply-adds.
 */
export const DEFAULT_PARALLEL_THRESHOLD = 64 * 64 * 64;
let threshold = DEFAULT_PARALLEL_THRESHOLD;

/** Installs (or, with null, removes) the pool used by every range kernel on this thread. */
export function setKernelPool(p: KernelPool | null): void {
  pool = p;
}

export function getKernelPool(): KernelPool | null {
  return pool;
}

/** Sets the work size (multiply-adds) from which tasks go to the pool. */
export function setParallelThreshold(work: number): void {
  if (!(work >= 0)) throw new Error(`The parallel threshold must be a number ≥ 0, got ${String(work)}.`);
  threshold = work;
}

export function getParallelThreshold(): number {
  return threshold;
}

/**
 * Runs `task` with `kernel` (the task's range kernel, passed in so the inline path needs no
 * lookup): on the pool when one is installed, it has more than one thread and `work` reaches
 * the threshold; otherwise inline over all rows.
 */
export function runRows(task: RowTask, kernel: RangeKernel, work: number): void {
  if (pool !== null && pool.threads > 1 && work >= threshold && task.rows > 1) {
    pool.run(task);
    return;
  }
  kernel(task.arrays, task.scalars, 0, task.rows);
}
