import { describe, it, expect } from 'vitest';
import { stridedGemm } from './stridedGemm';
import { gemmNaive } from './MatMul';

function rand(n: number, seed: number): Float64Array {
  const a = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

describe('stridedGemm', () => {
  it.each([
    [1, 1, 1],
    [5, 7, 3],
    [37, 29, 300],
    [70, 9, 17],
  ])(
    '%i×%i×%i into a block of a wider C, transposed A, equals the naive twin and leaves other columns alone',
    (m, n, k) => {
      const a = rand(k * m, 1); // stored [k, m], used transposed
      const b = rand(k * n, 2);
      const ldc = n + 3;
      const cOffset = 2;
      const c = rand(cOffset + m * ldc, 3);
      const before = c.slice();
      const A = { data: a, offset: 0, rowStride: 1, colStride: m };
      const B = { data: b, offset: 0, rowStride: n, colStride: 1 };
      stridedGemm(m, n, k, A, B, c, cOffset, ldc, false);
      const ref = gemmNaive(m, n, k, { data: a, off: 0, rs: 1, cs: m }, { data: b, off: 0, rs: n, cs: 1 });
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < ldc; j++) {
          const at = cOffset + i * ldc + j;
          if (j < n) expect(Math.abs(c[at] - ref[i * n + j])).toBeLessThan(1e-12);
          else expect(c[at]).toBe(before[at]);
        }
      }
      expect(c[0]).toBe(before[0]);
      // Accumulating adds the product once more.
      stridedGemm(m, n, k, A, B, c, cOffset, ldc, true);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) expect(Math.abs(c[cOffset + i * ldc + j] - 2 * ref[i * n + j])).toBeLessThan(1e-12);
    },
  );

  it('k = 0 writes zeros (or leaves C as it is when accumulating), only inside the block', () => {
    const c = rand(4 * 6, 4);
    const before = c.slice();
    const empty = { data: new Float64Array(0), offset: 0, rowStride: 0, colStride: 0 };
    stridedGemm(4, 6, 0, empty, empty, c, 0, 6, true);
    expect(Array.from(c)).toEqual(Array.from(before));
    stridedGemm(3, 4, 0, empty, empty, c, 1, 6, false);
    for (let i = 0; i < 24; i++) {
      const r = Math.floor((i - 1) / 6);
      const j = (i - 1) % 6;
      const inside = i >= 1 && r < 3 && j < 4;
      expect(c[i]).toBe(inside ? 0 : before[i]);
    }
  });
});
