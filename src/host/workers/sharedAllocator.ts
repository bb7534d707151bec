// The session worker's allocator: tensors big enough to be a kernel-pool task's operand live on
// SharedArrayBuffers (so the kernel pool reads and writes them without copies), small ones on
// plain ArrayBuffers, and the total is capped, so a graph too big for memory gets a clear error
// instead of taking the process down.
import { PoolAllocator } from '../../engine/tensor/allocator';
import type { DType, TypedArray } from '../../engine/tensor/dtype';

/** Thrown when an allocation would pass the budget; the session reports it as out of memory. */
export class TensorMemoryError extends Error {
  constructor(
    readonly requestedBytes: number,
    readonly liveBytes: number,
    readonly budgetBytes: number,
    /** Set when the process-wide budget, not this session's, was reached. */
    readonly processBudgetBytes?: number,
  ) {
    super(
      processBudgetBytes === undefined
        ? `Out of memory: this step needs ${mb(requestedBytes)} more for its tensors, ${mb(liveBytes)} are in use ` +
            `and the session may use ${mb(budgetBytes)}. Reduce the batch size (or the layer sizes) and try again.`
        : `Out of memory: this step needs ${mb(requestedBytes)} more for its tensors, and the open sessions together ` +
            `may use ${mb(processBudgetBytes)}. Close another session, or reduce the batch size (or the layer sizes), and try again.`,
    );
    this.name = 'TensorMemoryError';
  }
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * One memory budget for every session of the host process: each session worker publishes its
 * tensor bytes (live + pooled) in its own slot of a shared array, and an allocation that would
 * take the sum past `limitBytes` is refused in that session alone; the others live on. A slot is
 * updated at each fresh allocation (so it may be higher than the truth, never lower than what the
 * allocator held when it last grew), and zeroed by the host when the session's worker ends.
 */
export interface ProcessBudget {
  /** One slot per session (BigInt64Array over a SharedArrayBuffer). */
  readonly slots: BigInt64Array;
  readonly slot: number;
  readonly limitBytes: number;
}

/** Shared slots for `sessions` sessions. */
export function processBudgetSlots(sessions: number): BigInt64Array {
  return new BigInt64Array(new SharedArrayBuffer(8 * sessions));
}

function othersBytes(b: ProcessBudget): number {
  let sum = 0;
  for (let i = 0; i < b.slots.length; i++) if (i !== b.slot) sum += Number(Atomics.load(b.slots, i));
  return sum;
}

/**
 * Elements from which a tensor goes on a SharedArrayBuffer. V8 copies and fills shared memory
 * (TypedArray set, slice, fill: the kernels' moves into and out of WebAssembly memory, zeroing
 * gradients) on a slower path than plain memory, which cost the digits MLP (all of its training
 * step's tensors below 4,096 elements) about 10% of its step. The kernel pool only takes tasks of
 * at least 128³ multiply-adds (parallel/kernelPool.ts), and it copies a plain operand into shared
 * scratch memory and back (NodeKernelPool.sharedArrays), so a small operand of a big task costs a
 * copy of at most this many elements, little next to the task itself.
 */
export const SHARED_FROM_ELEMENTS = 16 * 1024;

/**
 * The engine's PoolAllocator (same pooling by dtype and length, same stats) with fresh arrays of
 * at least SHARED_FROM_ELEMENTS on SharedArrayBuffers and live + pooled bytes capped at `budgetBytes`.
 */
export class SharedPoolAllocator extends PoolAllocator {
  constructor(
    /** Cap on live + pooled tensor bytes. */
    readonly budgetBytes: number,
    maxPooledBytes = 256 * 1024 * 1024,
    /** The host process's budget shared with the other sessions, if any. */
    private readonly processBudget?: ProcessBudget,
  ) {
    super(maxPooledBytes);
  }

  private publish(bytes: number): void {
    if (this.processBudget) Atomics.store(this.processBudget.slots, this.processBudget.slot, BigInt(bytes));
  }

  protected override createArray(dtype: DType, size: number): TypedArray {
    const bytes = size * (dtype === 'float32' ? 4 : 8);
    const { liveBytes, pooledBytes } = this.stats();
    if (liveBytes + pooledBytes + bytes > this.budgetBytes) {
      // Give pooled memory back before refusing.
      this.clearPool();
      if (liveBytes + bytes > this.budgetBytes) throw new TensorMemoryError(bytes, liveBytes, this.budgetBytes);
    }
    const pb = this.processBudget;
    if (pb) {
      const others = othersBytes(pb);
      const mine = (): number => this.stats().liveBytes + this.stats().pooledBytes;
      if (others + mine() + bytes > pb.limitBytes) {
        this.clearPool();
        this.publish(mine());
        if (others + mine() + bytes > pb.limitBytes)
          throw new TensorMemoryError(bytes, this.stats().liveBytes, this.budgetBytes, pb.limitBytes);
      }
    }
    let buf: ArrayBuffer | SharedArrayBuffer;
    try {
      buf = size >= SHARED_FROM_ELEMENTS ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    } catch {
      throw new TensorMemoryError(bytes, liveBytes, this.budgetBytes);
    }
    const s = this.stats();
    this.publish(s.liveBytes + s.pooledBytes + bytes);
    return dtype === 'float32' ? new Float32Array(buf) : new Float64Array(buf);
  }
}
