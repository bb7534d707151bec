import { describe, it, expect } from 'vitest';
import { reluF32Simd, reluGradF32Simd } from './reluF32Simd';
import { unaryImpl } from '../unaryImpl';
import { activationGradImpl, activationGradNaive } from '../activationGradImpl';
import { Rng } from '../../tensor/rng';

// The JS kernels are the twins: the SIMD kernels must give the very same bits, NaN and -0 included.
const specials = [NaN, -0, 0, Infinity, -Infinity, 1e-45, -1e-45, 3.4e38];

function input(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: n }, () => rng.uniform(-2, 2));
  specials.forEach((v, i) => {
    if (i < n) x[(i * 7) % n] = v;
  });
  return x;
}

/** Indices where the bits differ (Object.is: NaN equals NaN, -0 differs from 0), at most 5. */
function mismatches(got: Float32Array, want: Float32Array): number[] {
  const bad: number[] = [];
  for (let i = 0; i < want.length && bad.length < 5; i++) if (!Object.is(got[i], want[i])) bad.push(i);
  return bad;
}

describe('WebAssembly SIMD ReLU', () => {
  it.each([1, 3, 4, 5, 17, 4096, 4099, 70001])(
    'relu and its gradient on %i elements equal the JS kernels bit for bit',
    (n) => {
      const x = input(n, n);
      const dy = input(n, n + 1);
      const want = new Float32Array(n);
      unaryImpl('relu', x, want, n);
      const got = new Float32Array(n).fill(7);
      expect(reluF32Simd(x, got, n)).toBe(true);
      expect(mismatches(got, want)).toEqual([]);

      const gWant = new Float32Array(n);
      activationGradImpl('relu', x, dy, gWant, n);
      const gGot = new Float32Array(n).fill(7);
      expect(reluGradF32Simd(x, dy, gGot, n)).toBe(true);
      expect(mismatches(gGot, gWant)).toEqual([]);
      // and the naive twin of the gradient agrees on every finite input
      const naive = activationGradNaive('relu', x, dy);
      const twin = Float32Array.from(naive, (g, i) => (Number.isFinite(x[i]) && Number.isFinite(dy[i]) ? g : gGot[i]));
      expect(mismatches(gGot, twin)).toEqual([]);
    },
  );

  it('writes only the first n elements of the output', () => {
    const x = input(10, 3);
    const out = new Float32Array(12).fill(5);
    reluF32Simd(x, out, 9);
    expect(out[9]).toBe(5);
    expect(out[10]).toBe(5);
  });
});
