// `npm run bench [-- NAME ...]`: runs the benchmark suites (all, or those named) and prints one
// JSON object per line. A suite is a function that logs records; add a suite by importing it
// here and adding it to SUITES (see docs/engine.md, "Benchmarks").
import { runAppBench } from './trainingFrames';
import { runEngineBench } from './engine';
import { runFirstStepBench } from './firstStep';
import { runHostBench } from './host';
import { runLayerBenchmarks } from './layers';
import { runVsPytorchBench } from './vsPytorch';
import { registerEngine } from '../src/engine/register';

// The benchmarks' entry registers the engine's kernels and gradients, as the app's entries do.
registerEngine();

export type BenchLog = (record: Record<string, unknown>) => void;

export interface BenchSuite {
  name: string;
  run: (log: BenchLog) => Promise<void>;
}

const SUITES: BenchSuite[] = [
  { name: 'engine', run: runEngineBench },
  // Further suites (layers, host, …) are added below this line.
  { name: 'host', run: runHostBench },
  { name: 'layers', run: async (log) => void (await runLayerBenchmarks({ log })) },
  { name: 'pytorch', run: runVsPytorchBench },
  { name: 'first-step', run: runFirstStepBench },
  // The renderer in Chromium while the digits CNN trains (builds the renderer; skipped without Chromium).
  { name: 'app', run: runAppBench },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
  if (unknown.length > 0) {
    console.error(`Unknown bench suite(s): ${unknown.join(', ')}. Known: ${SUITES.map((s) => s.name).join(', ')}.`);
    process.exitCode = 2;
    return;
  }
  const meta = {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    time: new Date().toISOString(),
  };
  console.log(JSON.stringify({ bench: 'meta', ...meta }));
  let failed = 0;
  for (const suite of SUITES) {
    if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
    const log: BenchLog = (r) => console.log(JSON.stringify({ suite: suite.name, ...r }));
    try {
      await suite.run(log);
    } catch (e) {
      failed++;
      log({ error: e instanceof Error ? e.message : String(e) });
    }
  }
  if (failed > 0) process.exitCode = 1;
}

await main();
