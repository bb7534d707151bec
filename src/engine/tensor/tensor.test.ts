import { describe, it, expect } from 'vitest';
import { tensor, zeros, empty, randn } from './create';
import { tidy, dispose, keep } from './scope';
import { getAllocator } from './allocator';
import { Rng } from './rng';
import { broadcastShapes } from './shape';

describe('Tensor and allocator', () => {
  it('builds from nested arrays and checks shapes', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.toNested()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(tensor([1, 2], undefined, { dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged/);
    // A flat list of numbers takes a fast path; mixed lists still get the nested rules.
    expect(() => tensor([1, [2]])).toThrow(/ragged nested array \(too deep\)/);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([5, 6], [2, 1]).toNested()).toEqual([[5], [6]]);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/do not fill/);
    expect(() => broadcastShapes([2, 3], [4])).toThrow(/cannot be broadcast/);
  });

  it('tidy disposes intermediates, keeps results, and storage is reused', () => {
    const before = getAllocator().stats().live;
    let inner: ReturnType<typeof zeros> | undefined;
    const kept = tidy(() => {
      inner = zeros([100]);
      const k = keep(zeros([3]));
      void k;
      return zeros([100]);
    });
    expect(inner?.isDisposed).toBe(true);
    expect(() => inner?.data).toThrow(/disposed/);
    expect(kept.isDisposed).toBe(false);
    expect(getAllocator().stats().live).toBe(before + 2);
    const reusedBefore = getAllocator().stats().reused;
    tidy(() => empty([100]));
    expect(getAllocator().stats().reused).toBeGreaterThan(reusedBefore);
    dispose(kept);
    expect(kept.isDisposed).toBe(true);
  });

  it('nested scopes: results move up one scope, kept tensors leave every scope, a throw disposes', () => {
    let outerMade: ReturnType<typeof zeros> | undefined;
    let movedUp: ReturnType<typeof zeros> | undefined;
    let keptInner: ReturnType<typeof zeros> | undefined;
    tidy(() => {
      outerMade = zeros([2]);
      movedUp = tidy(() => {
        keptInner = zeros([2]);
        keep(outerMade!); // made in the outer scope, kept from the inner one
        keep(keptInner);
        keep(keptInner); // twice is harmless
        return [zeros([2])];
      })[0];
      expect(movedUp.isDisposed).toBe(false);
    });
    expect(outerMade?.isDisposed).toBe(false);
    expect(keptInner?.isDisposed).toBe(false);
    expect(movedUp?.isDisposed).toBe(true); // the outer scope disposed what the inner returned
    let made: ReturnType<typeof zeros> | undefined;
    expect(() =>
      tidy(() => {
        made = zeros([2]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(made?.isDisposed).toBe(true);
    dispose([outerMade, keptInner]);
  });

  it('views share storage until the last one is disposed', () => {
    const t = tensor([1, 2, 3, 4]);
    const v = t.view([2, 2]);
    t.dispose();
    expect(v.data[3]).toBe(4);
    v.dispose();
    expect(() => v.data).toThrow(/disposed/);
  });

  it('randn is deterministic from a seed', () => {
    expect(randn([5], new Rng(1)).toArray()).toEqual(randn([5], new Rng(1)).toArray());
  });
});
