import { describe, it, expect } from 'vitest';
import { gemmF32Simd, simdGemmAvailable } from './gemmF32Simd';
import { gemmNaive } from '../gemm/gemm';
import { Rng } from '../../tensor/rng';

const available = simdGemmAvailable();
if (!available) console.log('Skipping the WebAssembly SIMD gemm test: this runtime has no WebAssembly SIMD.');

describe('WebAssembly SIMD float32 gemm', () => {
  it.skipIf(!available)('matches the naive twin for odd sizes, transposes, offsets and accumulation', () => {
    const rng = new Rng(5);
    for (const [m, n, k] of [
      [1, 1, 1],
      [5, 7, 3],
      [4, 8, 256],
      [17, 13, 300],
      [64, 128, 784],
      [33, 9, 513],
    ]) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const a = Float32Array.from({ length: m * k + 3 }, () => rng.uniform(-1, 1));
          const b = Float32Array.from({ length: k * n + 2 }, () => rng.uniform(-1, 1));
          const A = { data: a, off: 3, rs: ta ? 1 : k, cs: ta ? m : 1 };
          const B = { data: b, off: 2, rs: tb ? 1 : n, cs: tb ? k : 1 };
          const ref = gemmNaive(m, n, k, A, B);
          const c = new Float32Array(m * n + 5).fill(7);
          expect(gemmF32Simd(m, n, k, A, B, c, 5, false)).toBe(true);
          for (let i = 0; i < 5; i++) expect(c[i]).toBe(7);
          for (let i = 0; i < m * n; i++)
            expect(Math.abs(c[5 + i] - ref[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.sqrt(k)));
          gemmF32Simd(m, n, k, A, B, c, 5, true);
          for (let i = 0; i < m * n; i++)
            expect(Math.abs(c[5 + i] - 2 * ref[i])).toBeLessThanOrEqual(2e-5 * (1 + Math.sqrt(k)));
        }
      }
    }
  });
});
