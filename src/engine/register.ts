import { registerAll } from './ops/registerAll';

/**
 * The engine's entry: registers every kernel and gradient, once. Each entry of the app that
 * computes — the session worker, the CLI, the host, the benchmarks, the test setup — calls it
 * before running an op; no op file registers anything as a side effect of being imported.
 */
export function registerEngine(): void {
  registerAll();
}
