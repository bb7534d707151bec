import { describe, it, expect, afterEach } from 'vitest';
import type { KernelPool, RangeKernel, RowTask } from './kernelPool';
import {
  PathChooser,
  getPathChooser,
  runRows,
  setKernelPool,
  setParallelThreshold,
  DEFAULT_PARALLEL_THRESHOLD,
} from './kernelPool';

function spin(ms: number): void {
  const t = performance.now();
  while (performance.now() - t < ms);
}

/** A pool that runs the task on this thread after a fixed delay: the cost of a slow dispatch. */
function delayedPool(delayMs: number, log: string[]): KernelPool {
  return {
    threads: 2,
    run(task: RowTask) {
      log.push('pool');
      spin(delayMs);
      // The work itself, spread over other threads, costs this thread nothing.
      for (let i = 0; i < task.rows; i++) task.arrays[0][i] += 1;
    },
  };
}

let inlineCost = 0;
const kernel: RangeKernel = (arrays, _s, r0, r1) => {
  spin(inlineCost);
  for (let i = r0; i < r1; i++) arrays[0][i] += 1;
};

afterEach(() => {
  setKernelPool(null);
  setParallelThreshold(DEFAULT_PARALLEL_THRESHOLD);
});

const task = (): RowTask => ({ kernel: 'Test', arrays: [new Float32Array(8)], writes: [0], scalars: [], rows: 8 });

describe('runRows', () => {
  it('runs inline without a pool or below the threshold', () => {
    const log: string[] = [];
    const t = task();
    runRows(t, kernel, 1e9);
    setKernelPool(delayedPool(0, log));
    runRows(t, kernel, DEFAULT_PARALLEL_THRESHOLD - 1);
    expect(log).toEqual([]);
    expect(Array.from(t.arrays[0])).toEqual(new Array(8).fill(2));
  });

  it('learns to avoid a pool that is slower than inline, and to use one that is faster', () => {
    const slowLog: string[] = [];
    setKernelPool(delayedPool(2, slowLog));
    inlineCost = 0;
    for (let i = 0; i < 64; i++) runRows(task(), kernel, 1e8);
    // Two timing runs, then only the periodic re-checks.
    expect(slowLog.length).toBeLessThanOrEqual(2 + 64 / 32);

    const fastLog: string[] = [];
    setKernelPool(delayedPool(0, fastLog));
    inlineCost = 2;
    for (let i = 0; i < 64; i++) runRows(task(), kernel, 1e8);
    expect(fastLog.length).toBeGreaterThanOrEqual(64 - 2 - 64 / 32);
    expect(getPathChooser().snapshot()[0].samples).toBe(64);
  });

  it('re-checks a path that keeps losing less and less often, and takes it again once it wins', () => {
    const c = new PathChooser();
    const inline = 1;
    let pool = 2;
    const run = (n: number): string[] => {
      const paths: string[] = [];
      for (let i = 0; i < n; i++) {
        const p = c.choose(1e8);
        paths.push(p);
        c.record(1e8, p, p === 'pool' ? pool : inline);
      }
      return paths;
    };
    // Two timings of each path, then re-checks of the slower pool after 32, 64, 128, 256 and 512 calls.
    const first = run(2 + 2 + 32 + 64 + 128 + 256 + 512);
    expect(first.filter((p) => p === 'pool')).toHaveLength(2 + 5);
    expect(first.lastIndexOf('pool')).toBe(first.length - 1);
    // 1,024 calls between re-checks at most.
    expect(run(2048).filter((p) => p === 'pool').length).toBeLessThanOrEqual(3);
    // The pool becomes the faster path (load went away): the next re-check finds it, and it is used.
    pool = 0.5;
    const after = run(1100);
    expect(after.indexOf('pool')).toBeLessThanOrEqual(1024);
    expect(after.slice(-64).filter((p) => p === 'pool').length).toBeGreaterThanOrEqual(63);
  });

  it('keeps separate timings per size class', () => {
    const c = new PathChooser();
    c.record(1000, 'inline', 1);
    c.record(1e6, 'inline', 1);
    expect(c.snapshot().map((s) => s.sizeClass)).toEqual([9, 19]);
  });
});
