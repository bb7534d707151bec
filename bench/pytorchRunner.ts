// Runs PyTorch workloads in a child /usr/bin/python3 (bench/pytorch_workloads.py) and returns
// their timings, so a benchmark can put the engine and PyTorch side by side in one run.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The Python that has PyTorch (the parity scripts use the same one). */
export const PYTHON = '/usr/bin/python3';

export interface Samples {
  wall: number[];
  cpu: number[];
}

/**
 * Debian's PyTorch calls whichever libblas.so.3 the system selects, by default the reference
 * BLAS (~6 GFLOP/s). A comparison with that says nothing, so the child is pointed at OpenBLAS:
 * $BENCH_TORCH_BLAS_DIR (a folder holding libblas.so.3), else Debian's libopenblas0-pthread
 * when it is installed. The summary names the library PyTorch actually loaded.
 */
const OPENBLAS_DIRS = ['/usr/lib/x86_64-linux-gnu/openblas-pthread', '/usr/lib/aarch64-linux-gnu/openblas-pthread'];

function blasEnv(threads: number): NodeJS.ProcessEnv {
  const dir = [process.env.BENCH_TORCH_BLAS_DIR, ...OPENBLAS_DIRS].find(
    (d) => d !== undefined && d !== '' && existsSync(`${d}/libblas.so.3`),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENBLAS_NUM_THREADS: String(threads),
    OMP_NUM_THREADS: String(threads),
  };
  if (dir !== undefined) env.LD_LIBRARY_PATH = [dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return env;
}

/** A workload description both sides build from (see pytorch_workloads.py `build`). */
export type TorchWorkload = Record<string, unknown> & { kind: string };

export interface TorchRunner {
  readonly version: string;
  readonly threads: number;
  /** The BLAS library PyTorch loaded (file name), e.g. libopenblasp-r0.3.21.so or libblas.so.3. */
  readonly blas: string;
  /**
   * Times `reps` groups of `group` calls (after `warmup` calls) of the workload in PyTorch:
   * milliseconds per call, wall-clock and process CPU time, one sample per group.
   */
  time(workload: TorchWorkload, reps: number, group: number, warmup: number): Promise<Samples>;
  close(): void;
}

/** Starts PyTorch with `threads` intra-op threads; null (with the reason) when it is not installed. */
export async function startTorch(threads = 1): Promise<TorchRunner | { unavailable: string }> {
  if (!existsSync(PYTHON)) return { unavailable: `${PYTHON} not found` };
  const script = fileURLToPath(new URL('./pytorch_workloads.py', import.meta.url));
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, [script, String(threads)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: blasEnv(threads),
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines: Interface = createInterface({ input: child.stdout });
  const it = lines[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await it.next();
    if (r.done === true) throw new Error(`PyTorch exited: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    return JSON.parse(r.value as string) as Record<string, unknown>;
  };
  let hello: Record<string, unknown>;
  try {
    hello = await next();
  } catch (e) {
    child.kill();
    return { unavailable: (e as Error).message };
  }
  if (hello.ready !== true) {
    child.kill();
    return { unavailable: `no torch: ${String(hello.error)}` };
  }
  return {
    version: String(hello.torch),
    threads: Number(hello.threads),
    blas: String(hello.blas),
    async time(workload, reps, group, warmup) {
      child.stdin.write(`${JSON.stringify({ workload, reps, group, warmup })}\n`);
      const r = await next();
      return { wall: r.wall as number[], cpu: r.cpu as number[] };
    },
    close() {
      lines.close();
      child.stdin.end();
      child.kill();
    },
  };
}
