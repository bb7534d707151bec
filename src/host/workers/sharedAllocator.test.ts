import { describe, it, expect } from 'vitest';
import { SharedPoolAllocator, TensorMemoryError } from './sharedAllocator';

describe('SharedPoolAllocator', () => {
  it('hands out shared arrays, reuses freed ones and counts bytes', () => {
    const a = new SharedPoolAllocator(1 << 20);
    const x = a.alloc('float32', 100);
    expect(x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(a.stats()).toMatchObject({ live: 1, liveBytes: 400, fresh: 1 });
    a.free(x);
    const y = a.alloc('float32', 100);
    expect(y).toBe(x);
    expect(a.stats()).toMatchObject({ live: 1, reused: 1, pooled: 0 });
    expect(a.alloc('float64', 10).buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('refuses past the budget with a "reduce the batch size" error, after giving pooled memory back', () => {
    const a = new SharedPoolAllocator(1000 * 4);
    const x = a.alloc('float32', 600);
    a.free(x);
    const y = a.alloc('float32', 700); // fits once the pooled 600 are dropped
    expect(y.length).toBe(700);
    let err: unknown;
    try {
      a.alloc('float32', 400);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TensorMemoryError);
    expect(String((err as Error).message)).toMatch(/Reduce the batch size/);
  });
});
