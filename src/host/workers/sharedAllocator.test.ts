import { describe, it, expect } from 'vitest';
import { SHARED_FROM_ELEMENTS, SharedPoolAllocator, TensorMemoryError, processBudgetSlots } from './sharedAllocator';

describe('SharedPoolAllocator', () => {
  it('hands out shared arrays from SHARED_FROM_ELEMENTS on (plain ones below), reuses freed ones and counts bytes', () => {
    const a = new SharedPoolAllocator(1 << 20);
    const n = SHARED_FROM_ELEMENTS;
    const x = a.alloc('float32', n);
    expect(x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(a.stats()).toMatchObject({ live: 1, liveBytes: 4 * n, fresh: 1 });
    a.free(x);
    const y = a.alloc('float32', n);
    expect(y).toBe(x);
    expect(a.stats()).toMatchObject({ live: 1, reused: 1, pooled: 0 });
    expect(a.alloc('float64', n).buffer).toBeInstanceOf(SharedArrayBuffer);
    // Small tensors (a training step's, mostly) on plain memory, which V8 copies faster; counted alike.
    const small = a.alloc('float32', n - 1);
    expect(small.buffer).toBeInstanceOf(ArrayBuffer);
    expect(small.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(a.stats()).toMatchObject({ live: 3, liveBytes: 4 * n + 8 * n + 4 * (n - 1) });
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

  it('holds every session of the process to one budget: the one that would pass it is refused, the others go on', () => {
    // Three sessions, each allowed 1,000 floats on its own, 2,000 floats together.
    const slots = processBudgetSlots(3);
    const session = (slot: number) =>
      new SharedPoolAllocator(1000 * 4, undefined, { slots, slot, limitBytes: 2000 * 4 });
    const [a, b, c] = [session(0), session(1), session(2)];
    const xa = a.alloc('float32', 900);
    b.alloc('float32', 900);
    let err: unknown;
    try {
      c.alloc('float32', 900); // within its own budget, but not within the process's
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TensorMemoryError);
    expect((err as Error).message).toBe(
      'Out of memory: this step needs 0.0 MB more for its tensors, and the open sessions together may use 0.0 MB. Close another session, or reduce the batch size (or the layer sizes), and try again.',
    );
    // The sessions that were within the budget keep working.
    expect(a.alloc('float32', 100).length).toBe(100);
    // Once a session gives memory back (its pool dropped, its slot republished), another fits.
    a.free(xa);
    a.clearPool();
    a.alloc('float32', 1);
    expect(c.alloc('float32', 900).length).toBe(900);
    expect(Number(slots[2])).toBe(3600);
  });
});
