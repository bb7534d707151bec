import type { DType, TypedArray } from './dtype';

/**
 * Where every tensor's storage comes from. Kernels never allocate: the op layer asks the
 * allocator for the output array and hands it to the kernel.
 *
 * Design (see docs/engine.md, "Allocator"): callers only see typed-array views plus `free`.
 * Today the views are pooled Float32Array/Float64Array objects on the JS heap, recycled by
 * (dtype, length). Moving every tensor onto one shared WebAssembly.Memory is a change inside
 * this file only: `alloc` would carve a view out of the memory with a free list, `free` would
 * return the block.
 */
export interface Allocator {
  /** An array of `size` elements. Contents are unspecified (may hold old values). */
  alloc(dtype: DType, size: number): TypedArray;
  /** Returns an array obtained from `alloc`; the caller must not use it afterwards. */
  free(array: TypedArray): void;
  stats(): AllocatorStats;
}

export interface AllocatorStats {
  /** Arrays handed out and not yet freed. */
  live: number;
  liveBytes: number;
  /** Arrays kept for reuse. */
  pooled: number;
  pooledBytes: number;
  /** Total allocations served from the pool rather than fresh memory. */
  reused: number;
  fresh: number;
}

/**
 * Pools freed arrays by dtype and exact length, up to a byte budget. Fresh arrays come from
 * {@link PoolAllocator.createArray}, which a subclass overrides to change where the memory
 * lives (the session worker's `SharedPoolAllocator` puts it on SharedArrayBuffers and caps it)
 * while the pooling rules stay here.
 *
 * @example
 *   const pool = new PoolAllocator(64 * 1024 * 1024);
 *   const a = pool.alloc('float32', 1024); // fresh
 *   pool.free(a);
 *   pool.alloc('float32', 1024) === a; // true: reused
 */
export class PoolAllocator implements Allocator {
  // NOTE: one map per dtype keyed by length (no key string to build on every alloc and free).
  private readonly pools32 = new Map<number, TypedArray[]>();
  private readonly pools64 = new Map<number, TypedArray[]>();
  private live = 0;
  private liveBytes = 0;
  private pooledCount = 0;
  private pooledBytes = 0;
  private reused = 0;
  private fresh = 0;

  constructor(private readonly maxPooledBytes = 256 * 1024 * 1024) {}

  alloc(dtype: DType, size: number): TypedArray {
    // NOTE: bytes from the length (a typed array's byteLength is length × element size), not
    // byteLength's accessor: alloc and free run for every tensor.
    const f32 = dtype === 'float32';
    const bytes = f32 ? size * 4 : size * 8;
    const pool = (f32 ? this.pools32 : this.pools64).get(size);
    let arr = pool === undefined ? undefined : pool.pop();
    if (arr !== undefined) {
      this.pooledCount--;
      this.pooledBytes -= bytes;
      this.reused++;
    } else {
      arr = this.createArray(dtype, size);
      this.fresh++;
    }
    this.live++;
    this.liveBytes += bytes;
    return arr;
  }

  free(array: TypedArray): void {
    const f32 = array instanceof Float32Array;
    const n = array.length;
    const bytes = f32 ? n * 4 : n * 8;
    this.live--;
    this.liveBytes -= bytes;
    if (n === 0 || this.pooledBytes + bytes > this.maxPooledBytes) return;
    const pools = f32 ? this.pools32 : this.pools64;
    let pool = pools.get(n);
    if (pool === undefined) {
      pool = [];
      pools.set(n, pool);
    }
    // NOTE: a pooled array keeps its old values; kernels must treat `empty` outputs as garbage.
    pool.push(array);
    this.pooledCount++;
    this.pooledBytes += bytes;
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

  /** Drops every pooled array (tests, or to give memory back). */
  clearPool(): void {
    this.pools32.clear();
    this.pools64.clear();
    this.pooledCount = 0;
    this.pooledBytes = 0;
  }

  /**
   * A fresh array of `size` elements, called by `alloc` when no pooled array fits. The default
   * is a plain typed array on the JS heap; it may throw (the allocation then does not count).
   */
  protected createArray(dtype: DType, size: number): TypedArray {
    return dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  }
}

let current: Allocator = new PoolAllocator();

export function getAllocator(): Allocator {
  return current;
}

/** Replaces the allocator (e.g. with a WebAssembly.Memory-backed one). Only at start-up. */
export function setAllocator(a: Allocator): void {
  current = a;
}
