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
 * Multiply-adds below which a task always runs inline: handing work to other threads costs a
 * fixed 20-50 µs. Measured by `bench/hostKernelPool.ts` on the 2-core reference machine with the
 * WebAssembly SIMD gemm (float32, what training runs): n×n×n on the pool ran at 0.60–0.75× the
 * inline speed for n = 48/64/96, 0.69–0.76× at 128 and 1.02–1.29× at 192. (With the JS gemm, ~6×
 * slower inline, the pool had paid from 64³; that floor sent the digits MLP's evaluation products,
 * 0.8–5 M multiply-adds, to the pool for timings it lost.) Above this floor the choice is measured
 * at run time (PathChooser).
 */
export const DEFAULT_PARALLEL_THRESHOLD = 128 * 128 * 128;
let threshold = DEFAULT_PARALLEL_THRESHOLD;

interface PathStats {
  /** The last WINDOW timings of each path, in milliseconds per unit of work. */
  inline: number[];
  pool: number[];
  nInline: number;
  nPool: number;
  /** Calls until the path that looks slower is timed again, and the interval it was last given. */
  untilExplore: number;
  exploreEvery: number;
  /** The path timed again by the last re-check, judged when its timing comes in. */
  exploring: 'inline' | 'pool' | null;
}

/**
 * After this many calls of a size class, the path that looks slower is timed again (load changes).
 * Each re-check it loses doubles the interval, up to EXPLORE_MAX; a re-check it wins resets it.
 * NOTE: a fixed interval of 32 ran the digits MLP's evaluation products (inline 1.5–2× faster than
 * the pool on this 2-core machine) on the pool every 32nd call, each time waking the kernel threads:
 * a few percent of the app's training time that the CLI, without a pool, does not spend.
 */
const EXPLORE_EVERY = 32;
const EXPLORE_MAX = 1024;
/**
 * Each path is judged by the fastest of its last WINDOW timings: a run that the OS descheduled
 * is slow for reasons that say nothing about the path, and a minimum ignores it.
 */
const WINDOW = 8;

function best(xs: number[]): number {
  return xs.length === 0 ? Infinity : Math.min(...xs);
}

/**
 * Picks inline or pool per kernel and size class (powers of two of the work) from timings of both paths
 * on this machine, as it runs: whether the pool pays depends on the kernel, the size and how
 * many cores are free right now (other processes), none of which a constant can know.
 */
export class PathChooser {
  private readonly stats = new Map<string, PathStats>();

  choose(work: number, kernel = ''): 'inline' | 'pool' {
    const s = this.get(work, kernel);
    if (s.nInline < 2) return 'inline';
    if (s.nPool < 2) return 'pool';
    const faster = best(s.pool) < best(s.inline) ? 'pool' : 'inline';
    if (--s.untilExplore <= 0) {
      s.exploring = faster === 'pool' ? 'inline' : 'pool';
      return s.exploring;
    }
    return faster;
  }

  record(work: number, path: 'inline' | 'pool', ms: number, kernel = ''): void {
    const s = this.get(work, kernel);
    const list = path === 'inline' ? s.inline : s.pool;
    list.push(ms / Math.max(1, work));
    if (list.length > WINDOW) list.shift();
    if (path === 'inline') s.nInline++;
    else s.nPool++;
    if (s.exploring === path) {
      const other = path === 'pool' ? s.inline : s.pool;
      const won = best(list) < best(other);
      s.exploreEvery = won ? EXPLORE_EVERY : Math.min(EXPLORE_MAX, s.exploreEvery * 2);
      s.untilExplore = s.exploreEvery;
      s.exploring = null;
    }
  }

  /** What was learned, by size class (log2 of the work): for benchmarks and diagnostics. */
  snapshot(): { kernel: string; sizeClass: number; inlineNsPerWork: number; poolNsPerWork: number; samples: number }[] {
    return [...this.stats.entries()]
      .map(([key, s]) => {
        const [kernel, cls] = key.split('\u0000');
        return {
          kernel,
          sizeClass: Number(cls),
          inlineNsPerWork: best(s.inline) * 1e6,
          poolNsPerWork: best(s.pool) * 1e6,
          samples: s.nInline + s.nPool,
        };
      })
      .sort((a, b) => a.kernel.localeCompare(b.kernel) || a.sizeClass - b.sizeClass);
  }

  /** Timings are kept per kernel and per power of two of the work. */
  private get(work: number, kernel: string): PathStats {
    const k = `${kernel}\u0000${Math.floor(Math.log2(Math.max(1, work)))}`;
    let s = this.stats.get(k);
    if (s === undefined)
      this.stats.set(
        k,
        (s = {
          inline: [],
          pool: [],
          nInline: 0,
          nPool: 0,
          untilExplore: EXPLORE_EVERY,
          exploreEvery: EXPLORE_EVERY,
          exploring: null,
        }),
      );
    return s;
  }
}

let chooser = new PathChooser();

/** Installs (or, with null, removes) the pool used by every range kernel on this thread. */
export function setKernelPool(p: KernelPool | null): void {
  pool = p;
  chooser = new PathChooser();
}

export function getKernelPool(): KernelPool | null {
  return pool;
}

export function getPathChooser(): PathChooser {
  return chooser;
}

/** Sets the work size (multiply-adds) below which tasks always run inline. */
export function setParallelThreshold(work: number): void {
  if (!(work >= 0)) throw new Error(`The parallel threshold must be a number ≥ 0, got ${String(work)}.`);
  threshold = work;
}

export function getParallelThreshold(): number {
  return threshold;
}

/**
 * Runs `task` with `kernel` (the task's range kernel, passed in so the inline path needs no
 * lookup): inline when no pool is installed, the pool has one thread, or `work` is below the
 * threshold; above it, on whichever path the PathChooser has measured to be faster.
 * `force` pins the path (benchmarks and tests).
 */
export function runRows(task: RowTask, kernel: RangeKernel, work: number, force?: 'inline' | 'pool'): void {
  if (
    pool === null ||
    pool.threads < 2 ||
    task.rows < 2 ||
    (force === undefined && work < threshold) ||
    force === 'inline'
  ) {
    kernel(task.arrays, task.scalars, 0, task.rows);
    return;
  }
  const path = force ?? chooser.choose(work, task.kernel);
  const t0 = performance.now();
  if (path === 'pool') pool.run(task);
  else kernel(task.arrays, task.scalars, 0, task.rows);
  if (force === undefined) chooser.record(work, path, performance.now() - t0, task.kernel);
}
