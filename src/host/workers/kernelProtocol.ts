// The shared control block between a NodeKernelPool and its kernel workers.
//
// One task at a time per pool. Rows are cut into chunks; the caller and the workers claim
// chunks with a compare-and-swap on CLAIM, whose high 16 bits carry the task's sequence
// number, so a worker waking late with an old task message can never claim a chunk of a
// newer task. DONE counts finished chunks; the caller sleeps on it.

export const CTRL_WORDS = 8;
/** Bumped once per task; workers sleep on it. */
export const SEQ = 0;
/** (seq & 0xffff) << 16 | next unclaimed chunk. */
export const CLAIM = 1;
export const DONE = 2;
export const CHUNKS = 3;
/** Non-zero once a worker's chunk threw; the error text comes on the worker's port. */
export const FAILED = 4;
export const SHUTDOWN = 5;
/** 1 while a task runs (a second caller runs its task inline instead of waiting). */
export const BUSY = 6;

export interface TaskMessage {
  type: 'task';
  seq: number;
  kernel: string;
  arrays: (Float32Array | Float64Array)[];
  scalars: number[];
  rows: number;
  chunkRows: number;
}

/**
 * Claims the next chunk of task `seq` (which has `chunks` chunks), or returns -1 when none is
 * left or the task is over. The chunk count comes from the task itself, never from the shared
 * word: a thread still looping on an old task must not pair the old tag with a newer count.
 */
export function claimChunk(ctrl: Int32Array, seq: number, chunks: number): number {
  const tag = (seq & 0xffff) << 16;
  for (;;) {
    const v = Atomics.load(ctrl, CLAIM);
    if ((v & ~0xffff) !== tag) return -1;
    const idx = v & 0xffff;
    if (idx >= chunks) return -1;
    if (Atomics.compareExchange(ctrl, CLAIM, v, v + 1) === v) return idx;
  }
}

/** Marks one chunk done; wakes the caller after the last. */
export function finishChunk(ctrl: Int32Array): void {
  const done = Atomics.add(ctrl, DONE, 1) + 1;
  if (done >= Atomics.load(ctrl, CHUNKS)) Atomics.notify(ctrl, DONE);
}
