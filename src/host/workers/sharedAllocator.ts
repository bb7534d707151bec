// The session worker's allocator: tensors live on SharedArrayBuffers (so the kernel pool reads
// and writes them without copies) and the total is capped, so a graph too big for memory gets
// a clear error instead of taking the process down.
import type { Allocator, AllocatorStats } from '../../engine/tensor/allocator';
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

/** Pools freed arrays by dtype and length like the engine's PoolAllocator, on shared memory. */
export class SharedPoolAllocator implements Allocator {
  private readonly pools = new Map<string, TypedArray[]>();
  private live = 0;
  private liveBytes = 0;
  private pooledCount = 0;
  private pooledBytes = 0;
  private reused = 0;
  private fresh = 0;

  constructor(
    /** Cap on live + pooled tensor bytes. */
    readonly budgetBytes: number,
    private readonly maxPooledBytes = 256 * 1024 * 1024,
  ) {}

  alloc(dtype: DType, size: number): TypedArray {
    const k = key(dtype, size);
    const arr = this.pools.get(k)?.pop();
    if (arr !== undefined) {
      this.pooledCount--;
      this.pooledBytes -= arr.byteLength;
      this.reused++;
      this.track(arr);
      return arr;
    }
    const bytes = size * (dtype === 'float32' ? 4 : 8);
    if (this.liveBytes + this.pooledBytes + bytes > this.budgetBytes) {
      // Give pooled memory back before refusing.
      this.clearPool();
      if (this.liveBytes + bytes > this.budgetBytes)
        throw new TensorMemoryError(bytes, this.liveBytes, this.budgetBytes);
    }
    let buf: SharedArrayBuffer;
    try {
      buf = new SharedArrayBuffer(bytes);
    } catch {
      throw new TensorMemoryError(bytes, this.liveBytes, this.budgetBytes);
    }
    const out = dtype === 'float32' ? new Float32Array(buf) : new Float64Array(buf);
    this.fresh++;
    this.track(out);
    return out;
  }

  free(array: TypedArray): void {
    this.live--;
    this.liveBytes -= array.byteLength;
    if (array.length === 0 || this.pooledBytes + array.byteLength > this.maxPooledBytes) return;
    const k = key(array instanceof Float32Array ? 'float32' : 'float64', array.length);
    let pool = this.pools.get(k);
    if (pool === undefined) this.pools.set(k, (pool = []));
    // NOTE: a pooled array keeps its old values; kernels must treat `empty` outputs as garbage.
    pool.push(array);
    this.pooledCount++;
    this.pooledBytes += array.byteLength;
  }

  stats(): AllocatorStats {
    return {
      live: this.live,
      liveBytes: this.liveBytes,
      pooled: this.pooledCount,
      pooledBytes: this.pooledBytes,
      reused: this.reused,
      fresh: this.fresh,
    };
  }

  clearPool(): void {
    this.pools.clear();
    this.pooledCount = 0;
    this.pooledBytes = 0;
  }

  private track(arr: TypedArray): void {
    this.live++;
    this.liveBytes += arr.byteLength;
  }
}

function key(dtype: DType, size: number): string {
  return dtype === 'float32' ? `f${size}` : `d${size}`;
}
