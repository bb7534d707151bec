import { describe, it, expect } from 'vitest';
import { gemmF32Simd, simdGemmAvailable, sparseBlockCount } from './gemmF32Simd';
import { gemmNaive } from '../gemm/gemm';
import { Rng } from '../../tensor/rng';
import type { GemmOperand } from '../gemm/pack';

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
          const [A, B] = operands(m, n, k, ta, tb, () => rng.uniform(-1, 1), 3, 2);
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

  it.skipIf(!available)(
    'gives the bits of its float32 twin (products and sums rounded to float32 in its order)',
    () => {
      const rng = new Rng(9);
      for (const [m, n, k] of [
        [1, 1, 1],
        [3, 10, 7],
        [13, 17, 300],
        [64, 128, 784],
        [128, 784, 64],
        [10, 128, 64],
        [70, 9, 513],
        [5, 70, 9],
        [37, 21, 260],
        // C of at most 4 columns (MR×4 tiles): the tiny MLP's output layer and dW₁, several k-blocks.
        [32, 3, 16],
        [16, 2, 32],
        [33, 4, 260],
        [7, 1, 513],
      ]) {
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            const [A, B] = operands(m, n, k, ta, tb, () => rng.uniform(-1, 1), 3, 2);
            const c0 = Float32Array.from({ length: m * n + 1 }, () => rng.uniform(-1, 1));
            expectTwinBits(m, n, k, A, B, c0, 1, `ta=${ta} tb=${tb}`);
          }
        }
      }
    },
  );

  it.skipIf(!available)(
    'gives the bits of its twin on many small shapes (partial row and column groups) with ±0, ±Inf and NaN',
    () => {
      const rng = new Rng(16);
      const special = [0, -0, Infinity, -Infinity, NaN];
      const value = (): number =>
        rng.uniform(0, 1) < 0.1 ? special[Math.floor(rng.uniform(0, special.length))] : rng.uniform(-2, 2);
      for (let trial = 0; trial < 400; trial++) {
        const m = 1 + Math.floor(rng.uniform(0, 37));
        const n = 1 + Math.floor(rng.uniform(0, 37));
        const k = 1 + Math.floor(rng.uniform(0, 41));
        const ta = rng.uniform(0, 1) < 0.5;
        const tb = rng.uniform(0, 1) < 0.5;
        const [A, B] = operands(m, n, k, ta, tb, value, 1, 0);
        const c0 = Float32Array.from({ length: m * n }, value);
        expectTwinBits(m, n, k, A, B, c0, 0, `ta=${ta} tb=${tb}`);
      }
    },
  );

  it.skipIf(!available)(
    'skips the zeros of A with the twin bits (±0 in A, empty rows and blocks, NaN and ±Inf in A), and not when B has ±Inf or NaN',
    () => {
      const rng = new Rng(23);
      const special = [Infinity, -Infinity, NaN];
      for (const [m, n, k] of [
        [128, 784, 64],
        [64, 128, 784],
        [37, 45, 300],
        [12, 40, 600],
        [9, 33, 260],
        [300, 40, 260],
      ]) {
        for (const ta of [false, true]) {
          const tb = ta;
          // Half of A's entries ±0, a few ±Inf or NaN; row 1 and the first 256 steps of k of row 2 all zero.
          const value = (): number => {
            const u = rng.uniform(0, 1);
            if (u < 0.25) return 0;
            if (u < 0.5) return -0;
            if (u < 0.51) return special[Math.floor(rng.uniform(0, special.length))];
            return rng.uniform(-2, 2);
          };
          const [A, B] = operands(m, n, k, ta, tb, value, 3, 2);
          for (let p = 0; p < k; p++) {
            A.data[A.off + A.rs + p * A.cs] = 0;
            if (p < 256) A.data[A.off + 2 * A.rs + p * A.cs] = -0;
          }
          // Rows from 256 on (the second chunk of rows listed) without zeros: that chunk takes the micro-kernel.
          for (let i = 256; i < m; i++)
            for (let p = 0; p < k; p++) A.data[A.off + i * A.rs + p * A.cs] = rng.uniform(1, 2);
          for (let i = 0; i < k * n + 2; i++) if (!Number.isFinite(B.data[i])) B.data[i] = rng.uniform(-2, 2);
          const c0 = Float32Array.from({ length: m * n + 1 }, () => rng.uniform(-1, 1));
          const before = sparseBlockCount();
          expectTwinBits(m, n, k, A, B, c0, 1, `ta=${ta} tb=${tb}`);
          expect(sparseBlockCount(), `${m}×${n}×${k}: the sparse path ran`).toBeGreaterThan(before);
          // One non-finite value in B: 0·Inf is NaN, so every zero of A counts (the dense path).
          B.data[B.off + (k - 1) * B.rs + (n - 1) * B.cs] = special[Math.floor(rng.uniform(0, special.length))];
          const dense = sparseBlockCount();
          expectTwinBits(m, n, k, A, B, c0, 1, `ta=${ta} tb=${tb}, B not finite`);
          expect(sparseBlockCount()).toBe(dense);
        }
      }
    },
  );

  it.skipIf(!available)(
    'adds a bias row with the bits of the product followed by the float32 add (±0, ±Inf, NaN; narrow, wide and sparse)',
    () => {
      const rng = new Rng(31);
      const special = [0, -0, Infinity, -Infinity, NaN];
      const value = (): number =>
        rng.uniform(0, 1) < 0.1 ? special[Math.floor(rng.uniform(0, special.length))] : rng.uniform(-2, 2);
      const shapes: [number, number, number][] = [
        [32, 16, 2],
        [32, 16, 16],
        [32, 3, 16],
        [1, 1, 1],
        [7, 70, 9],
        [64, 128, 784],
      ];
      for (let trial = 0; trial < 60; trial++)
        shapes.push([
          1 + Math.floor(rng.uniform(0, 37)),
          1 + Math.floor(rng.uniform(0, 37)),
          1 + Math.floor(rng.uniform(0, 41)),
        ]);
      for (const [m, n, k] of shapes) {
        // x·Wᵀ as a Linear layer computes it; half of x zero on the big shape (the sparse path).
        const sparse = m * n * k > 1 << 16;
        const [A, B] = operands(m, n, k, false, true, () => (sparse && rng.uniform(0, 1) < 0.5 ? 0 : value()), 0, 0);
        for (let i = 0; i < k * n; i++) if (sparse) B.data[i] = rng.uniform(-2, 2);
        const bias = Float32Array.from({ length: n + 2 }, value);
        const want = new Float32Array(m * n);
        twin(m, n, k, A, B, want, 0, false);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) want[i * n + j] = want[i * n + j] + bias[j];
        const got = new Float32Array(m * n).fill(7);
        expect(gemmF32Simd(m, n, k, A, B, got, 0, false, bias)).toBe(true);
        const bad = [...got.keys()].filter((i) => !Object.is(got[i], want[i]) && !(isNaN(got[i]) && isNaN(want[i])));
        expect(bad.slice(0, 5), `${m}×${n}×${k}`).toEqual([]);
      }
    },
  );
});

/** A (m×k) and B (k×n) filled by `value`, transposed as asked, after `aOff` and `bOff` leading floats. */
function operands(
  m: number,
  n: number,
  k: number,
  ta: boolean,
  tb: boolean,
  value: () => number,
  aOff: number,
  bOff: number,
): [GemmOperand, GemmOperand] {
  const a = Float32Array.from({ length: m * k + aOff }, value);
  const b = Float32Array.from({ length: k * n + bOff }, value);
  return [
    { data: a, off: aOff, rs: ta ? 1 : k, cs: ta ? m : 1 },
    { data: b, off: bOff, rs: tb ? 1 : n, cs: tb ? k : 1 },
  ];
}

/** The SIMD product written over and added onto `c0` (from `cOff`) gives the twin's bits both ways. */
function expectTwinBits(
  m: number,
  n: number,
  k: number,
  A: GemmOperand,
  B: GemmOperand,
  c0: Float32Array,
  cOff: number,
  what: string,
): void {
  for (const accumulate of [false, true]) {
    const want = c0.slice();
    twin(m, n, k, A, B, want, cOff, accumulate);
    const got = c0.slice();
    expect(gemmF32Simd(m, n, k, A, B, got, cOff, accumulate)).toBe(true);
    const bad = [...got.keys()].filter((i) => !Object.is(got[i], want[i]));
    expect(bad.slice(0, 5), `${m}×${n}×${k} ${what} accumulate=${accumulate}`).toEqual([]);
  }
}

/**
 * The SIMD kernel's arithmetic, element by element: per block of 256 steps of k, a float32
 * accumulator from 0 adds each float32 product in order; the block sums add into C (from 0, or
 * onto C's old value at the end when accumulating), everything rounded to float32.
 */
function twin(
  m: number,
  n: number,
  k: number,
  A: GemmOperand,
  B: GemmOperand,
  c: Float32Array,
  cOff: number,
  accumulate: boolean,
): void {
  const f = Math.fround;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let total = 0;
      for (let p0 = 0; p0 < k; p0 += 256) {
        let acc = 0;
        for (let p = p0; p < Math.min(k, p0 + 256); p++)
          acc = f(acc + f(A.data[A.off + i * A.rs + p * A.cs] * B.data[B.off + p * B.rs + j * B.cs]));
        total = f(total + acc);
      }
      const at = cOff + i * n + j;
      c[at] = accumulate ? f(c[at] + total) : total;
    }
}
