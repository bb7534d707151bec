// Layer benchmarks (issue 4): a small conv net and an Elman RNN, forward + backward, on this
// engine and on TensorFlow.js (cpu and wasm backends) in the same process. Prints one JSON
// line per (workload, implementation) with the median time (and of the forward pass alone), then
// one line per workload with the ratios. Sizes: bench/layersWorkloads.ts.
//
// Part of `npm run bench` (suite "layers" in bench/run.ts; `npm run bench -- layers` runs it alone),
// or `node --import tsx bench/layers.ts`.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { noGrad } from '../src/engine/autograd/gradMode';
import { engineConvNetStep, engineRnnStep } from './layersEngine';
import { tfjsConvNetStep, tfjsRnnStep } from './layersTfjs';
import { setTfjsBackend } from './engineTfjs';
import { registerEngine } from '../src/engine/register';

// The benchmarks' entry registers the engine's kernels and gradients, as the app's entries do.
registerEngine();

export interface LayerBenchOptions {
  /** Timed repetitions per implementation, spread over 3 interleaved rounds (default 15; tfjs-cpu's conv net uses a third). */
  reps?: number;
  /** Receives each record (bench/run.ts passes its suite logger; default: one JSON line on stdout). */
  log?: (record: Record<string, unknown>) => void;
}

interface Runner {
  run: () => void;
  forwardOnly?: () => void;
  dispose: () => void;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(fn: () => void, reps: number, warmup: number): { samples: number[] } {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return { samples };
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/** Runs both workloads on every implementation and emits JSON lines; returns the records. */
export async function runLayerBenchmarks(opts: LayerBenchOptions = {}): Promise<Record<string, unknown>[]> {
  const reps = opts.reps ?? 15;
  const log = opts.log ?? ((r: Record<string, unknown>) => console.log(JSON.stringify(r)));
  const records: Record<string, unknown>[] = [];
  const out = (r: Record<string, unknown>): void => {
    records.push(r);
    log(r);
  };
  const workloads: { name: string; engine: () => Runner; tfjs: () => Runner; what: string }[] = [
    {
      name: 'layers.convnet',
      what: 'batch 32, 1x28x28 -> conv 8 3x3 -> relu -> maxpool 2 -> conv 16 3x3 -> relu -> maxpool 2 -> linear 10, softmax CE; forward + backward',
      engine: engineConvNetStep,
      tfjs: tfjsConvNetStep,
    },
    {
      name: 'layers.rnn',
      what: 'Elman RNN tanh, input 16, hidden 64, 20 steps, batch 32 -> linear 10 on h_T, softmax CE; forward + BPTT',
      engine: engineRnnStep,
      tfjs: tfjsRnnStep,
    },
  ];
  // NOTE: the machine is shared, so the implementations are timed in interleaved rounds
  // (engine, tfjs-cpu, tfjs-wasm, engine, …) and each median is over all its rounds: a burst
  // of load then hits every implementation alike instead of skewing one ratio.
  const rounds = 3;
  const impls = ['engine', 'tfjs-cpu', 'tfjs-wasm'] as const;
  for (const w of workloads) {
    const samples: Record<string, number[]> = {};
    const fwdSamples: Record<string, number[]> = {};
    const unsupported: Record<string, string> = {};
    for (const impl of impls) {
      samples[impl] = [];
      fwdSamples[impl] = [];
    }
    for (let round = 0; round < rounds; round++) {
      for (const impl of impls) {
        let runner: Runner;
        if (impl === 'engine') {
          runner = w.engine();
        } else {
          await setTfjsBackend(impl === 'tfjs-cpu' ? 'cpu' : 'wasm');
          runner = w.tfjs();
        }
        // tfjs-cpu's conv net takes about a second per step: fewer repetitions there.
        const slow = impl === 'tfjs-cpu' && w.name === 'layers.convnet';
        const n = Math.max(slow ? 1 : 2, Math.round((slow ? reps / 3 : reps) / rounds));
        try {
          if (!unsupported[impl]) samples[impl].push(...time(runner.run, n, round === 0 ? 2 : 1).samples);
        } catch (err) {
          // NOTE: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter/Input kernels, so the conv
          // net cannot train there; its forward pass is still timed for a like-for-like ratio.
          unsupported[impl] = String((err as Error).message ?? err);
        }
        const fwd = runner.forwardOnly;
        if (fwd) fwdSamples[impl].push(...time(() => (impl === 'engine' ? noGrad(fwd) : fwd()), n, 1).samples);
        runner.dispose();
      }
    }
    const ms: Record<string, number | null> = {};
    const fwdMs: Record<string, number | null> = {};
    for (const impl of impls) {
      ms[impl] = samples[impl].length > 0 ? median(samples[impl]) : null;
      fwdMs[impl] = fwdSamples[impl].length > 0 ? median(fwdSamples[impl]) : null;
      const base = { bench: w.name, impl, reps: samples[impl].length, rounds };
      if (unsupported[impl]) {
        out({
          ...base,
          median_ms: null,
          unsupported: unsupported[impl],
          forward_median_ms: fwdMs[impl] === null ? null : round3(fwdMs[impl]),
        });
      } else {
        out({
          ...base,
          median_ms: round3(ms[impl] as number),
          min_ms: round3(Math.min(...samples[impl])),
          forward_median_ms: fwdMs[impl] === null ? null : round3(fwdMs[impl]),
          ...(impl === 'engine' ? { workload: w.what } : {}),
        });
      }
    }
    const ratio = (a: number | null, b: number | null): number | null =>
      a !== null && b !== null && b > 0 ? round3(a / b) : null;
    // Minimum times are the least disturbed by other load on a shared machine; their ratios too.
    const mins: Record<string, number | null> = {};
    for (const impl of impls) mins[impl] = samples[impl].length > 0 ? Math.min(...samples[impl]) : null;
    out({
      bench: `${w.name}.summary`,
      engine_ms: ms.engine === null ? null : round3(ms.engine),
      tfjs_cpu_ms: ms['tfjs-cpu'] === null ? null : round3(ms['tfjs-cpu']),
      tfjs_wasm_ms: ms['tfjs-wasm'] === null ? null : round3(ms['tfjs-wasm']),
      speedup_vs_tfjs_cpu: ratio(ms['tfjs-cpu'], ms.engine),
      speedup_vs_tfjs_wasm: ratio(ms['tfjs-wasm'], ms.engine),
      min_speedup_vs_tfjs_cpu: ratio(mins['tfjs-cpu'], mins.engine),
      min_speedup_vs_tfjs_wasm: ratio(mins['tfjs-wasm'], mins.engine),
      forward_engine_ms: fwdMs.engine === null ? null : round3(fwdMs.engine),
      forward_tfjs_cpu_ms: fwdMs['tfjs-cpu'] === null ? null : round3(fwdMs['tfjs-cpu']),
      forward_tfjs_wasm_ms: fwdMs['tfjs-wasm'] === null ? null : round3(fwdMs['tfjs-wasm']),
      forward_speedup_vs_tfjs_cpu: ratio(fwdMs['tfjs-cpu'], fwdMs.engine),
      forward_speedup_vs_tfjs_wasm: ratio(fwdMs['tfjs-wasm'], fwdMs.engine),
    });
  }
  return records;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runLayerBenchmarks().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
