// Core engine benchmarks (issue 3): sgemm GFLOP/s and MLP training steps, each also run in
// TensorFlow.js (cpu and wasm backends) in the same process, with the ratios. Medians.
import type { BenchLog } from './run';
import type { Timing } from './engineTiming';
import { round, timeIt } from './engineTiming';
import { engineMlpStep, engineSgemm, MLP_MNIST, MLP_SPIRAL } from './engineWorkloads';
import type { TfjsBackend } from './engineTfjs';
import { setTfjsBackend, tfjsMlpStep, tfjsSgemm } from './engineTfjs';

const SIZES = [128, 256, 512, 1024];
const BACKENDS: TfjsBackend[] = ['cpu', 'wasm'];

function budgetFor(n: number): { minReps: number; budgetMs: number; warmup: number } {
  return n >= 1024 ? { minReps: 3, budgetMs: 3000, warmup: 1 } : { minReps: 5, budgetMs: 1500, warmup: 3 };
}

/** How many times faster the engine is than this tfjs run (> 1: engine faster), by wall and CPU time. */
function speedups(
  t: Timing,
  mine: { wall: number; cpu: number } | undefined,
): { engineSpeedup: number; engineSpeedupCpu: number } {
  return {
    engineSpeedup: round(t.medianMs / (mine?.wall ?? NaN), 3),
    engineSpeedupCpu: round(t.cpuMedianMs / (mine?.cpu ?? NaN), 3),
  };
}

export async function runEngineBench(log: BenchLog): Promise<void> {
  // Engine first, so tfjs's memory use cannot disturb it.
  const ours = new Map<string, { wall: number; cpu: number }>();
  for (const n of SIZES) {
    const t = timeIt(engineSgemm(n), budgetFor(n));
    ours.set(`sgemm${n}`, { wall: t.medianMs, cpu: t.cpuMedianMs });
    log({
      bench: 'sgemm',
      n,
      impl: 'engine',
      medianMs: round(t.medianMs),
      cpuMs: round(t.cpuMedianMs),
      gflops: round((2 * n ** 3) / t.medianMs / 1e6),
      reps: t.reps,
    });
  }
  for (const w of [MLP_MNIST, MLP_SPIRAL]) {
    const step = engineMlpStep(w);
    const t = timeIt(step.run, { minReps: 20, budgetMs: 2000, warmup: 10 });
    step.dispose();
    ours.set(w.name, { wall: t.medianMs, cpu: t.cpuMedianMs });
    log({
      bench: 'mlpStep',
      workload: w.name,
      batch: w.batch,
      impl: 'engine',
      medianMs: round(t.medianMs),
      cpuMs: round(t.cpuMedianMs),
      reps: t.reps,
    });
  }
  for (const backend of BACKENDS) {
    try {
      await setTfjsBackend(backend);
    } catch (e) {
      log({ bench: 'tfjs', backend, skipped: `backend unavailable: ${(e as Error).message}` });
      continue;
    }
    const impl = `tfjs-${backend}`;
    for (const n of SIZES) {
      const s = tfjsSgemm(n);
      const t = timeIt(s.run, budgetFor(n));
      s.dispose();
      const mine = ours.get(`sgemm${n}`);
      log({
        bench: 'sgemm',
        n,
        impl,
        medianMs: round(t.medianMs),
        cpuMs: round(t.cpuMedianMs),
        gflops: round((2 * n ** 3) / t.medianMs / 1e6),
        reps: t.reps,
        ...speedups(t, mine),
      });
    }
    for (const w of [MLP_MNIST, MLP_SPIRAL]) {
      const s = tfjsMlpStep(w);
      const t = timeIt(s.run, { minReps: 20, budgetMs: 2000, warmup: 10 });
      s.dispose();
      log({
        bench: 'mlpStep',
        workload: w.name,
        batch: w.batch,
        impl,
        medianMs: round(t.medianMs),
        cpuMs: round(t.cpuMedianMs),
        reps: t.reps,
        ...speedups(t, ours.get(w.name)),
      });
    }
  }
}
