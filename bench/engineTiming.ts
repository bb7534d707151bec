// Timing helpers shared by the engine benchmarks: warm up, then repeat until both a minimum
// number of repetitions and a time budget are reached, and report the median.
//
// NOTE: wall-clock medians are what users feel, but on a shared machine other processes
// inflate them; the median process CPU time per repetition (process.cpuUsage, user + system)
// is reported next to it because it is far less sensitive to that. Every workload here runs
// on one thread, so CPU time ≈ compute time.

export interface Timing {
  medianMs: number;
  minMs: number;
  cpuMedianMs: number;
  /** Samples taken (each a group of `group` calls). */
  reps: number;
  group: number;
}

export function timeIt(
  fn: () => void,
  opts: { warmup?: number; minReps?: number; budgetMs?: number; maxReps?: number } = {},
): Timing {
  const warmup = opts.warmup ?? 3;
  const minReps = opts.minReps ?? 5;
  const budget = opts.budgetMs ?? 1500;
  const maxReps = opts.maxReps ?? 10_000;
  for (let i = 0; i < warmup; i++) fn();
  // Calls shorter than ~1 ms are timed in groups (the per-call figure is the group's mean), so
  // the clock reads do not inflate them.
  const t0 = performance.now();
  fn();
  const once = performance.now() - t0;
  const group = once >= 1 ? 1 : Math.min(1000, Math.max(1, Math.floor(1 / Math.max(once, 1e-4))));
  const times: number[] = [];
  const cpu: number[] = [];
  const start = performance.now();
  while (times.length < maxReps && (times.length < minReps || performance.now() - start < budget)) {
    const c = process.cpuUsage();
    const t = performance.now();
    for (let g = 0; g < group; g++) fn();
    times.push((performance.now() - t) / group);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000 / group);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    medianMs: times[Math.floor(times.length / 2)],
    minMs: times[0],
    cpuMedianMs: cpu[Math.floor(cpu.length / 2)],
    reps: times.length,
    group,
  };
}

export function round(x: number, digits = 4): number {
  return Number(x.toPrecision(digits));
}
