// The Node backend of the engine's KernelPool: kernel worker threads over SharedArrayBuffer,
// dispatched with Atomics (no event-loop round trip, so the engine stays synchronous).
import os from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { KernelPool, PoolArray, RowTask } from '../../engine/parallel/kernelPool';
import { getRangeKernel } from '../../engine/kernels/rangeKernels';
import { baseWorkerOptions, resolveWorkerEntry } from './workerEntry';
import {
  BUSY,
  CHUNKS,
  CLAIM,
  CTRL_WORDS,
  DONE,
  FAILED,
  SEQ,
  SHUTDOWN,
  claimChunk,
  finishChunk,
} from './kernelProtocol';
import type { TaskMessage } from './kernelProtocol';

/** A kernel worker that finishes no chunk for this long is taken for dead. */
const STALL_MS = 15_000;
/**
 * Chunks per thread. One: each call of the blocked/SIMD gemm packs its operands again, and on
 * the 2-core reference machine 1024³ ran in 52 ms on the pool with one chunk per thread, against
 * 146 ms with 4 or 64 chunks per thread (and 62 ms inline), measured under load.
 */
const CHUNKS_PER_THREAD = 1;

export interface NodeKernelPoolOptions {
  /** Worker threads (the caller computes too). Default: available cores − 1, at least 1. */
  workers?: number;
}

/**
 * Kernel workers per session: the cores but one, at most 3 (several sessions may be open, and
 * idle workers still cost memory), at least 1.
 */
export function defaultPoolWorkers(): number {
  return Math.max(1, Math.min(3, os.availableParallelism() - 1));
}

export class NodeKernelPool implements KernelPool {
  readonly threads: number;
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(CTRL_WORDS * 4));
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private seq = 0;
  private closed = false;
  /** Shared copies of non-shared arrays, reused across tasks by size. */
  private scratch = new Map<string, PoolArray[]>();

  private constructor(workers: number) {
    this.threads = workers + 1;
  }

  /** Starts the workers and resolves once each is waiting for tasks. */
  static async create(options: NodeKernelPoolOptions = {}): Promise<NodeKernelPool> {
    const n = options.workers ?? defaultPoolWorkers();
    if (!Number.isInteger(n) || n < 1) throw new Error(`A kernel pool needs at least one worker, got ${String(n)}.`);
    const pool = new NodeKernelPool(n);
    const entry = resolveWorkerEntry('kernelWorker');
    const ready: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const { port1, port2 } = new MessageChannel();
      const w = new Worker(entry.spec, {
        ...baseWorkerOptions(entry),
        workerData: { ctrl: pool.ctrl, port: port2 },
        transferList: [port2],
        name: `kernel-${i}`,
      });
      w.unref();
      pool.workers.push(w);
      pool.ports.push(port1);
      ready.push(
        new Promise((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`Kernel worker ${i} exited during start-up (code ${code}).`)));
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (err) {
      await pool.close();
      throw err;
    }
    for (const w of pool.workers)
      w.removeAllListeners('exit')
        .removeAllListeners('error')
        .on('error', () => undefined);
    return pool;
  }

  run(task: RowTask): void {
    const kernel = getRangeKernel(task.kernel);
    // A second thread using the same pool (or a re-entrant call) runs inline rather than wait.
    if (this.closed || Atomics.compareExchange(this.ctrl, BUSY, 0, 1) !== 0) {
      kernel(task.arrays, task.scalars, 0, task.rows);
      return;
    }
    try {
      this.runLocked(task, kernel);
    } finally {
      Atomics.store(this.ctrl, BUSY, 0);
    }
  }

  private runLocked(
    task: RowTask,
    kernel: (a: PoolArray[], s: readonly number[], r0: number, r1: number) => void,
  ): void {
    const align = Math.max(1, task.rowAlign ?? 1);
    const target = Math.ceil(task.rows / (this.threads * CHUNKS_PER_THREAD));
    const chunkRows = Math.max(align, Math.ceil(target / align) * align);
    const chunks = Math.ceil(task.rows / chunkRows);
    const arrays = this.sharedArrays(task);
    const seq = (this.seq = (this.seq + 1) | 0);
    const ctrl = this.ctrl;
    // The claim word first: from here on no thread still looping on the previous task can claim.
    Atomics.store(ctrl, CLAIM, (seq & 0xffff) << 16);
    Atomics.store(ctrl, CHUNKS, chunks);
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, FAILED, 0);
    const msg: TaskMessage = {
      type: 'task',
      seq,
      kernel: task.kernel,
      arrays,
      scalars: task.scalars,
      rows: task.rows,
      chunkRows,
    };
    for (const p of this.ports) p.postMessage(msg);
    Atomics.store(ctrl, SEQ, seq);
    Atomics.notify(ctrl, SEQ);

    let error: unknown = null;
    for (let c = claimChunk(ctrl, seq, chunks); c >= 0; c = claimChunk(ctrl, seq, chunks)) {
      const r0 = c * chunkRows;
      try {
        kernel(arrays, task.scalars, r0, Math.min(task.rows, r0 + chunkRows));
      } catch (err) {
        error ??= err;
      }
      finishChunk(ctrl);
    }
    let lastDone = Atomics.load(ctrl, DONE);
    let lastProgress = Date.now();
    while (lastDone < chunks) {
      Atomics.wait(ctrl, DONE, lastDone, 1000);
      const d = Atomics.load(ctrl, DONE);
      if (d !== lastDone) {
        lastDone = d;
        lastProgress = Date.now();
      } else if (Date.now() - lastProgress > STALL_MS) {
        // Close the task so a worker that comes back cannot write into it later.
        Atomics.store(ctrl, CLAIM, 0);
        throw new Error(
          `A kernel worker stopped responding during ${task.kernel} (${chunks - d} of ${chunks} chunks unfinished).`,
        );
      }
    }
    if (error !== null) throw error;
    if (Atomics.load(ctrl, FAILED) !== 0) {
      let text = 'unknown error';
      for (const p of this.ports) {
        for (let m = receiveMessageOnPort(p); m !== undefined; m = receiveMessageOnPort(p)) {
          const e = m.message as { type?: string; seq?: number; message?: string };
          if (e.type === 'error' && e.seq === seq) text = e.message ?? text;
        }
      }
      throw new Error(`${task.kernel} failed in a kernel worker: ${text}`);
    }
    this.copyBack(task, arrays);
  }

  /** The task's arrays, with each one that is not on a SharedArrayBuffer swapped for a shared copy. */
  private sharedArrays(task: RowTask): PoolArray[] {
    const used = new Map<string, number>();
    return task.arrays.map((a) => {
      if (a.buffer instanceof SharedArrayBuffer) return a;
      const key = `${a instanceof Float32Array ? 'f' : 'd'}${a.length}`;
      const n = used.get(key) ?? 0;
      used.set(key, n + 1);
      let list = this.scratch.get(key);
      if (list === undefined) this.scratch.set(key, (list = []));
      let s = list[n];
      if (s === undefined) {
        const buf = new SharedArrayBuffer(a.byteLength);
        s = a instanceof Float32Array ? new Float32Array(buf) : new Float64Array(buf);
        list.push(s);
      }
      // Outputs are copied in too: an accumulating kernel reads their old values.
      s.set(a);
      return s;
    });
  }

  private copyBack(task: RowTask, arrays: PoolArray[]): void {
    for (const i of task.writes) if (arrays[i] !== task.arrays[i]) task.arrays[i].set(arrays[i]);
    if (this.scratch.size > 16) this.scratch.clear();
  }

  /** Stops the workers; tasks run after this fall back to inline. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctrl, SHUTDOWN, 1);
    Atomics.add(this.ctrl, SEQ, 1);
    Atomics.notify(this.ctrl, SEQ);
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => undefined)));
    for (const p of this.ports) p.close();
  }
}
