import { describe, it, expect } from 'vitest';
import {
  sigmoidGradF32Simd,
  sumF32Simd,
  tanhGradF32Simd,
  unaryCheckedF32Simd,
  type CheckedOp,
} from './elementwiseF32Simd';
import { reduceImpl, reducedShape } from '../reduceImpl';
import { unaryImpl } from '../unaryImpl';
import { binaryF32Simd, binaryImpl } from '../binaryImpl';
import type { Shape } from '../../tensor/shape';
import { activationGradImpl } from '../activationGradImpl';
import { simdMismatches } from './elementwiseF32Simd.test-support';
import { Rng } from '../../tensor/rng';

// The JS kernels are the twins: the SIMD kernels must give the very same float32 bits (any NaN
// for a NaN: payloads are not compared).

const f32Bits = (v: number): number => new Uint32Array(Float32Array.of(v).buffer)[0];

/** Every float32 with |x| in [lo, hi), both signs. */
function dense(fn: CheckedOp, lo: number, hi: number): string[] {
  const [a, b] = [f32Bits(lo), f32Bits(hi)];
  return [0, 0x80000000].flatMap((sign) => simdMismatches(fn, b - a, (i) => (sign | (a + i)) >>> 0));
}

describe.each(['tanh', 'exp', 'sigmoid'] as const)('WebAssembly SIMD %s', (fn) => {
  it('equals the JS kernel (float64 Math function rounded to float32) on every 256th float32 bit pattern (16.8 million inputs: both signs, NaNs, ±Inf, subnormals)', () => {
    // each chunk of 2²⁰ takes another offset, so the low eight bits take every value across the run
    expect(simdMismatches(fn, 2 ** 24, (i) => (i * 256 + ((i >>> 20) % 256)) >>> 0)).toEqual([]);
  });

  it('equals it on every float32 where the result saturates, leaves the float32 range or stops rounding to a simple value, and on every subnormal', () => {
    // tanh: ±1 from |x| ≈ 9.01, tanh(x) rounds to x below ≈ 2⁻¹²; exp: +Inf above ≈ 88.7, subnormal
    // and 0 below ≈ −87.3 / −103.9; sigmoid: 1 above ≈ 17.3, subnormal and 0 below ≈ −87.3 / −103.9
    const ranges: Record<CheckedOp, [number, number][]> = {
      tanh: [
        [8, 16],
        [2 ** -13, 2 ** -11],
      ],
      exp: [[64, 128]],
      sigmoid: [
        [16, 32],
        [64, 128],
      ],
    };
    for (const [lo, hi] of [...ranges[fn], [0, 2 ** -126]]) expect(dense(fn, lo, hi)).toEqual([]);
  });

  it('equals it on ±0, ±Inf, NaN, the largest and smallest float32s, and odd lengths', () => {
    const x = Float32Array.of(
      0,
      -0,
      Infinity,
      -Infinity,
      NaN,
      3.4028234663852886e38,
      -1.401298464324817e-45,
      9.01,
      -88.72,
      0.5,
    );
    for (let n = 1; n <= x.length; n++) {
      const want = new Float32Array(n);
      unaryImpl(fn, x, want, n);
      const got = new Float32Array(n + 1).fill(7);
      expect(unaryCheckedF32Simd(fn, x, got, n)).toBe(true);
      for (let i = 0; i < n; i++) expect(Object.is(got[i], want[i])).toBe(true);
      expect(got[n]).toBe(7);
    }
  });

  // Every float32 (2³² inputs, minutes each) is checked by scripts/elementwiseExhaustive.ts.
});

describe('WebAssembly SIMD tanh and sigmoid gradients', () => {
  it.each([1, 2, 3, 64, 65, 2048, 70001])('equal the JS kernels bit for bit on %i elements', (n) => {
    const rng = new Rng(n);
    // outputs of tanh / sigmoid, plus values outside their range, specials and subnormals
    const y = Float32Array.from({ length: n }, () => rng.uniform(-1.2, 1.2));
    const dy = Float32Array.from({ length: n }, () => rng.normal() * 10 ** Math.floor(rng.uniform(-40, 30)));
    [NaN, -0, 0, Infinity, -Infinity, 1e-45, -1e-45, 3.4e38, 1, -1].forEach((v, i) => {
      if (i < n) y[(i * 7) % n] = v;
      if (i + 3 < n) dy[(i * 11 + 3) % n] = v;
    });
    for (const [op, simd] of [
      ['tanh', tanhGradF32Simd],
      ['sigmoid', sigmoidGradF32Simd],
    ] as const) {
      const want = new Float32Array(n);
      activationGradImpl(op, y, dy, want, n);
      const got = new Float32Array(n + 1).fill(7);
      expect(simd(y, dy, got, n)).toBe(true);
      const bad: number[] = [];
      for (let i = 0; i < n && bad.length < 5; i++) if (!Object.is(got[i], want[i])) bad.push(i);
      expect(bad).toEqual([]);
      expect(got[n]).toBe(7);
    }
  });
});

describe('WebAssembly SIMD add and mul (same shapes, bias-like)', () => {
  const cases: [Shape, Shape, boolean][] = [
    // a, b, takes the SIMD path
    [[640, 64], [64], true],
    [[64], [640, 64], true],
    [[32, 64], [32, 64], true],
    [[7, 13], [7, 13], true],
    [[4, 3, 8], [1, 3, 8], true],
    [[2, 3, 8], [1, 3, 8], false], // 48 elements: below the SIMD minimum
    [[32, 10], [10], false],
    [[32, 16], [32, 1], false],
    [[5], [5], false],
  ];
  it.each(cases)('%j ∘ %j equals the JS kernel bit for bit', (aShape, bShape, simd) => {
    const size = (s: Shape): number => s.reduce((p, d) => p * d, 1);
    const outShape = size(aShape) >= size(bShape) ? aShape : bShape;
    const rng = new Rng(size(aShape) + size(bShape));
    const draw = (n: number): Float32Array =>
      Float32Array.from({ length: n }, () => rng.normal() * 10 ** Math.floor(rng.uniform(-40, 38)));
    const a = draw(size(aShape));
    const b = draw(size(bShape));
    [NaN, -0, 0, Infinity, -Infinity, 1e-45, 3.4e38, -3.4e38].forEach((v, i) => {
      a[(i * 5) % a.length] = v;
      b[(i * 3 + 1) % b.length] = v;
    });
    for (const op of ['add', 'mul'] as const) {
      const n = size(outShape);
      const want = new Float32Array(n);
      binaryImpl(op, a, aShape, b, bShape, want, outShape);
      const got = new Float32Array(n).fill(7);
      expect(binaryF32Simd(op, a, aShape, b, bShape, got, outShape)).toBe(simd);
      if (!simd) continue;
      const bad: number[] = [];
      for (let i = 0; i < n && bad.length < 5; i++) if (!Object.is(got[i], want[i])) bad.push(i);
      expect(bad).toEqual([]);
    }
  });
});

describe('WebAssembly SIMD sum over a block of axes (bias gradients)', () => {
  const cases: [Shape, number[], boolean][] = [
    // shape, axes, takes the SIMD path
    [[640, 64], [0], true],
    [[32, 16], [0], true],
    [[2, 30, 8], [1], true],
    [[4, 5, 12], [0, 1], true],
    [[3, 40, 7], [1], false], // 7 columns
    [[64, 8], [1], false], // a run along the last axis: the JS loop sums in float64
    [[0, 64], [0], false],
    [[4, 8], [0], false], // 32 elements: below the SIMD minimum
  ];
  it.each(cases)('%j over %j equals the JS kernel bit for bit', (shape, axes, simd) => {
    const size = shape.reduce((p, d) => p * d, 1);
    const rng = new Rng(size + axes.length);
    const x = Float32Array.from({ length: size }, () => rng.normal() * 10 ** Math.floor(rng.uniform(-40, 38)));
    [NaN, -0, Infinity, -Infinity, 1e-45, 3.4e38, -3.4e38].forEach((v, i) => {
      if (size > 0) x[(i * 37) % size] = v;
    });
    if (size >= 64) x.fill(-0, 0, 4); // a column that starts with −0
    const outN = reducedShape(shape, axes, false).reduce((p, d) => p * d, 1);
    const want = new Float32Array(outN);
    reduceImpl('sum', x, shape, axes, want);
    const got = new Float32Array(outN + 1).fill(7);
    expect(sumF32Simd(x, shape, axes, got.subarray(0, outN))).toBe(simd);
    if (!simd) return;
    const bad: number[] = [];
    for (let i = 0; i < outN && bad.length < 5; i++) if (!Object.is(got[i], want[i])) bad.push(i);
    expect(bad).toEqual([]);
    expect(got[outN]).toBe(7);
  });
});
