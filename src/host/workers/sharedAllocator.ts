// The session worker's allocator: tensors live on SharedArrayBuffers (so the kernel pool reads
// and writes them without copies) and the total is capped, so a graph too big for memory gets
// a clear error instead of taking the process down.
import { PoolAllocator } from '../../engine/tensor/allocator';
import type { DType, TypedArray } from '../../engine/tensor/dtype';

/** Thrown when an allocation would pass the budget; the session reports it as out of memory. */
export class TensorMemoryError extends Error {
  constructor(
    readonly requestedBytes: number,
    readonly liveBytes: number,
    readonly budgetBytes: number,
  ) {
    super(
      `Out of memory: this step needs ${mb(requestedBytes)} more for its tensors, ${mb(liveBytes)} are in use ` +
        `and the session may use ${mb(budgetBytes)}. Reduce the batch size (or the layer sizes) and try again.`,
    );
    this.name = 'TensorMemoryError';
  }
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The engine's PoolAllocator (same pooling by dtype and length, same stats) with fresh arrays on
 * SharedArrayBuffers and live + pooled bytes capped at `budgetBytes`.
 */
export class SharedPoolAllocator extends PoolAllocator {
  constructor(
    /** Cap on live + pooled tensor bytes. */
    readonly budgetBytes: number,
    maxPooledBytes = 256 * 1024 * 1024,
  ) {
    super(maxPooledBytes);
  }

  protected override createArray(dtype: DType, size: number): TypedArray {
    const bytes = size * (dtype === 'float32' ? 4 : 8);
    const { liveBytes, pooledBytes } = this.stats();
    if (liveBytes + pooledBytes + bytes > this.budgetBytes) {
      // Give pooled memory back before refusing.
      this.clearPool();
      if (liveBytes + bytes > this.budgetBytes) throw new TensorMemoryError(bytes, liveBytes, this.budgetBytes);
    }
    let buf: SharedArrayBuffer;
    try {
      buf = new SharedArrayBuffer(bytes);
    } catch {
      throw new TensorMemoryError(bytes, liveBytes, this.budgetBytes);
    }
    return dtype === 'float32' ? new Float32Array(buf) : new Float64Array(buf);
  }
}
