import { describe, it, expect } from 'vitest';
import { PoolAllocator } from './allocator';
import type { DType, TypedArray } from './dtype';

describe('PoolAllocator', () => {
  it('reuses a freed array of the same dtype and length only, and counts it', () => {
    const a = new PoolAllocator();
    const x = a.alloc('float32', 8);
    expect(x).toBeInstanceOf(Float32Array);
    a.free(x);
    expect(a.stats()).toMatchObject({ live: 0, pooled: 1, pooledBytes: 32 });
    expect(a.alloc('float64', 8)).not.toBe(x);
    expect(a.alloc('float32', 9)).not.toBe(x);
    expect(a.alloc('float32', 8)).toBe(x);
    expect(a.stats()).toMatchObject({ live: 3, liveBytes: 64 + 36 + 32, pooled: 0, reused: 1, fresh: 3 });
  });

  it('pools no more than its byte budget', () => {
    const a = new PoolAllocator(100);
    const x = a.alloc('float64', 10);
    const y = a.alloc('float64', 10);
    a.free(x);
    a.free(y); // 80 + 80 > 100: dropped
    expect(a.stats()).toMatchObject({ live: 0, pooled: 1, pooledBytes: 80 });
    a.clearPool();
    expect(a.stats()).toMatchObject({ pooled: 0, pooledBytes: 0 });
  });

  it('takes fresh arrays from createArray, so a subclass changes the backing memory but not the pooling', () => {
    class Counting extends PoolAllocator {
      created = 0;
      protected override createArray(dtype: DType, size: number): TypedArray {
        if (size > 1000) throw new Error(`too big: ${size}`);
        this.created++;
        return dtype === 'float32' ? new Float32Array(new ArrayBuffer(size * 4 + 4), 4, size) : new Float64Array(size);
      }
    }
    const a = new Counting();
    const x = a.alloc('float32', 5);
    expect(x.byteOffset).toBe(4);
    a.free(x);
    expect(a.alloc('float32', 5)).toBe(x);
    expect(a.created).toBe(1);
    expect(() => a.alloc('float32', 2000)).toThrow(/too big: 2000/);
    expect(a.stats()).toMatchObject({ live: 1, liveBytes: 20, fresh: 1, reused: 1 });
  });
});
