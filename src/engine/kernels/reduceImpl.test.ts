import { describe, it, expect } from 'vitest';
import { reduceImpl, reduceNaive, reducedShape, sumF32Fast } from './reduceImpl';
import { sizeOf, stridesOf } from '../tensor/shape';
import { Rng } from '../tensor/rng';

/**
 * The order the kernel promises for non-contiguous axes: the input in memory order, each element
 * added into its output slot and rounded to float32 there (what `out[o] += v` on a Float32Array
 * does). Summing a run of trailing reduced axes in a local must not change a bit of that.
 */
function sumInOrderF32(x: Float32Array, shape: number[], axes: number[]): Float32Array {
  const oStrides = stridesOf(reducedShape(shape, axes, true));
  const strides = stridesOf(shape);
  const out = new Float32Array(sizeOf(reducedShape(shape, axes, true)));
  for (let i = 0; i < x.length; i++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++)
      if (!axes.includes(d)) o += (Math.floor(i / strides[d]) % shape[d]) * oStrides[d];
    out[o] += x[i];
  }
  return out;
}

describe('reduceImpl over non-contiguous axes', () => {
  it.each([
    [
      [4, 3, 5, 6],
      [0, 2, 3],
    ],
    [
      [2, 3, 4],
      [0, 2],
    ],
    [
      [3, 2, 2, 5],
      [1, 3],
    ],
    [
      [2, 1, 3, 1, 4],
      [0, 2, 4],
    ],
    // Runs summed four slots at a time, with a tail of 3, and a kept axis before a kept axis.
    [
      [3, 7, 4, 5],
      [0, 2, 3],
    ],
    [
      [2, 3, 9, 2, 6],
      [0, 3, 4],
    ],
  ])('sum of %j over %j is bit-identical to the in-order float32 accumulation', (shape, axes) => {
    const rng = new Rng(sizeOf(shape));
    const x = Float32Array.from({ length: sizeOf(shape) }, () => rng.uniform(-3, 3) * 10 ** rng.uniform(-3, 3));
    const out = new Float32Array(sizeOf(reducedShape(shape, axes, true)));
    reduceImpl('sum', x, shape, axes, out);
    expect(Array.from(out)).toEqual(Array.from(sumInOrderF32(x, shape, axes)));
    const x64 = Float64Array.from(x);
    const out64 = new Float64Array(out.length);
    reduceImpl('sum', x64, shape, axes, out64);
    const naive = reduceNaive('sum', x64, shape, axes);
    out64.forEach((v, i) => expect(v).toBe(naive[i]));
  });

  it('max propagates NaN and matches the naive twin', () => {
    const shape = [3, 4, 5];
    const x = Float32Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7));
    x[17] = NaN;
    const out = new Float32Array(4);
    reduceImpl('max', x, shape, [0, 2], out);
    const naive = reduceNaive('max', x, shape, [0, 2]);
    out.forEach((v, i) => expect(Object.is(v, Math.fround(naive[i]))).toBe(true));
    expect(Number.isNaN(out[3])).toBe(true);
  });
});

/**
 * The contiguous-axes sum as reduceImpl's general loop computes it: inner = 1 in a double rounded
 * once, otherwise `out[j] += x` on the Float32Array (rounded after every addition), in order.
 */
function sumContiguousRef(x: Float32Array, outer: number, n: number, inner: number): Float32Array {
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    if (inner === 1) {
      let s = 0;
      for (let k = 0; k < n; k++) s += x[o * n + k];
      out[o] = s;
    } else for (let k = 0; k < n; k++) for (let j = 0; j < inner; j++) out[o * inner + j] += x[(o * n + k) * inner + j];
  }
  return out;
}

describe('sumF32Fast', () => {
  it('gives the bits of the in-order float32 loop over contiguous axes, with ±0, ±Inf, NaN and overflow', () => {
    const rng = new Rng(16);
    const special = [0, -0, Infinity, -Infinity, NaN, 3e38, -3e38, 1e-45];
    const value = (): number =>
      rng.uniform(0, 1) < 0.1
        ? special[Math.floor(rng.uniform(0, special.length))]
        : rng.uniform(-3, 3) * 10 ** rng.uniform(-3, 3);
    for (let trial = 0; trial < 300; trial++) {
      const rank = 1 + Math.floor(rng.uniform(0, 3));
      const shape = Array.from({ length: rank }, () => Math.floor(rng.uniform(0, 9)));
      const a0 = Math.floor(rng.uniform(0, rank));
      const a1 = a0 + Math.floor(rng.uniform(0, rank - a0));
      const axes = trial % 10 === 0 ? [] : Array.from({ length: a1 - a0 + 1 }, (_, i) => a0 + i);
      const x = Float32Array.from({ length: sizeOf(shape) }, value);
      const outer = axes.length === 0 ? sizeOf(shape) : sizeOf(shape.slice(0, a0));
      const n = axes.length === 0 ? 1 : sizeOf(shape.slice(a0, a1 + 1));
      const inner = axes.length === 0 ? 1 : sizeOf(shape.slice(a1 + 1));
      const want = sumContiguousRef(x, outer, n, inner);
      const got = new Float32Array(sizeOf(reducedShape(shape, axes, true))).fill(7);
      expect(sumF32Fast(x, shape, axes, got)).toBe(true);
      const bad = [...got.keys()].filter((i) => !Object.is(got[i], want[i]));
      expect(bad.slice(0, 5), `${JSON.stringify(shape)} over ${JSON.stringify(axes)}`).toEqual([]);
      const viaImpl = new Float32Array(got.length).fill(7);
      reduceImpl('sum', x, shape, axes, viaImpl);
      expect([...viaImpl.keys()].filter((i) => !Object.is(viaImpl[i], want[i]))).toEqual([]);
    }
    expect(sumF32Fast(new Float32Array(8), [2, 2, 2], [0, 2], new Float32Array(2))).toBe(false);
  });
});
