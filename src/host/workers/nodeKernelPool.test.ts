import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { NodeKernelPool } from './nodeKernelPool';
import {
  getParallelThreshold,
  getPathChooser,
  setKernelPool,
  setParallelThreshold,
} from '../../engine/parallel/kernelPool';
import { gemm, gemmParallel } from '../../engine/kernels/gemm/gemm';

function rand(n: number, seed: number, shared = false): Float32Array {
  const a = shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
  fill(a, seed);
  return a;
}

function fill(a: Float32Array | Float64Array, seed: number): void {
  let s = seed;
  for (let i = 0; i < a.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
}

const rowMajor = (data: Float32Array | Float64Array, cols: number) => ({ data, off: 0, rs: cols, cs: 1 });

let pool: NodeKernelPool;
const savedThreshold = getParallelThreshold();
beforeAll(async () => {
  pool = await NodeKernelPool.create({ workers: 2 });
  setKernelPool(pool);
  setParallelThreshold(0);
});
afterAll(async () => {
  setKernelPool(null);
  setParallelThreshold(savedThreshold);
  await pool.close();
});

describe('NodeKernelPool', () => {
  it.each([
    [1, 1, 1],
    [7, 5, 3],
    [67, 53, 41],
    [128, 96, 64],
  ])('gemm %i×%i×%i on the pool equals the inline kernel bit for bit', (m, k, n) => {
    for (const shared of [false, true]) {
      const a = rand(m * k, 1, shared);
      const b = rand(k * n, 2, shared);
      const want = new Float32Array(m * n);
      gemm(m, n, k, rowMajor(a, k), rowMajor(b, n), want, 0, false);
      const got = shared ? new Float32Array(new SharedArrayBuffer(m * n * 4)) : new Float32Array(m * n);
      gemmParallel(m, n, k, rowMajor(a, k), rowMajor(b, n), got, 0, false, 'pool');
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });

  it('float64 (the JS kernel) on the pool equals the inline kernel bit for bit', () => {
    const [m, k, n] = [67, 53, 41];
    const a = new Float64Array(m * k);
    const b = new Float64Array(k * n);
    fill(a, 21);
    fill(b, 22);
    const want = new Float64Array(m * n);
    gemm(m, n, k, rowMajor(a, k), rowMajor(b, n), want, 0, false);
    const got = new Float64Array(m * n);
    gemmParallel(m, n, k, rowMajor(a, k), rowMajor(b, n), got, 0, false, 'pool');
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('accumulates into C and honours transposed (strided) operands', () => {
    const m = 33,
      k = 17,
      n = 29;
    const a = rand(k * m, 3); // stored as [k, m], used transposed
    const b = rand(k * n, 4);
    const c0 = rand(m * n, 5);
    const want = c0.slice();
    gemm(m, n, k, { data: a, off: 0, rs: 1, cs: m }, rowMajor(b, n), want, 0, true);
    const got = c0.slice();
    gemmParallel(m, n, k, { data: a, off: 0, rs: 1, cs: m }, rowMajor(b, n), got, 0, true, 'pool');
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('runs thousands of small tasks back to back without losing or mixing chunks', () => {
    const m = 12,
      k = 8,
      n = 8;
    const b = rand(k * n, 7);
    for (let t = 0; t < 2000; t++) {
      const a = rand(m * k, 100 + t);
      const want = new Float32Array(m * n);
      gemm(m, n, k, rowMajor(a, k), rowMajor(b, n), want, 0, false);
      const got = new Float32Array(m * n);
      gemmParallel(m, n, k, rowMajor(a, k), rowMajor(b, n), got, 0, false, 'pool');
      if (got.some((v, i) => v !== want[i])) throw new Error(`task ${t} differs`);
    }
    expect(pool.threads).toBe(3);
  });

  it('back-to-back tasks of changing sizes (and chunk counts) never mix, with shared scratch arrays reused', () => {
    const k = 8,
      n = 8;
    const b = rand(k * n, 9);
    for (let t = 0; t < 3000; t++) {
      const m = 1 + ((t * 37) % 97);
      const a = rand(m * k, 500 + t);
      const want = new Float32Array(m * n);
      gemm(m, n, k, rowMajor(a, k), rowMajor(b, n), want, 0, false);
      const got = new Float32Array(m * n);
      pool.run({
        kernel: 'MatMul',
        arrays: [a, b, got],
        writes: [2],
        scalars: [m, n, k, 0, k, 1, 0, n, 1, 0, 0],
        rows: m,
        rowAlign: 1 + (t % 5),
      });
      if (got.some((v, i) => v !== want[i])) throw new Error(`task ${t} (m = ${m}) differs`);
    }
  });

  it('rejects an unknown range kernel with a clear error', () => {
    expect(() => pool.run({ kernel: 'Nope', arrays: [], writes: [], scalars: [], rows: 4 })).toThrow(
      /No range kernel named "Nope"/,
    );
  });
});

describe('parallelMatMulGemm (the engine MatMul kernel on the pool)', () => {
  it.each([
    [5, 3, 7],
    [70, 300, 65],
    [257, 129, 33],
  ])('%i×%i×%i equals the inline gemm exactly', (m, k, n) => {
    const a = rand(m * k, 11);
    const b = rand(k * n, 12);
    const want = new Float32Array(m * n);
    gemm(m, n, k, { data: a, off: 0, rs: k, cs: 1 }, { data: b, off: 0, rs: n, cs: 1 }, want, 0, false);
    const got = new Float32Array(m * n);
    pool.run({
      kernel: 'MatMul',
      arrays: [a, b, got],
      writes: [2],
      scalars: [m, n, k, 0, k, 1, 0, n, 1, 0, 0],
      rows: m,
      rowAlign: 4,
    });
    expect(Array.from(got)).toEqual(Array.from(want));
  });
});

describe('the registered MatMul op', () => {
  it('gives the same tensor with and without the pool (batched operands too)', async () => {
    // The path chooser times both paths before it settles; over 8 calls each product runs on both.
    const { matmul } = await import('../../engine/ops/matmul');
    const { fromTypedArray } = await import('../../engine/tensor/create');
    const a = fromTypedArray(rand(3 * 40 * 50, 21), [3, 40, 50]);
    const b = fromTypedArray(rand(50 * 30, 22), [50, 30]);
    const c = fromTypedArray(rand(3 * 50 * 30, 23), [3, 50, 30]);
    const runs = Array.from({ length: 8 }, () => [matmul(a, b).toArray(), matmul(a, c).toArray()]);
    for (const r of runs) expect(r).toEqual(runs[0]);
    expect(
      getPathChooser()
        .snapshot()
        .some((s) => s.samples >= 4),
    ).toBe(true);
    const withPool = runs[0];
    setKernelPool(null);
    try {
      const inline = [matmul(a, b).toArray(), matmul(a, c).toArray()];
      expect(withPool).toEqual(inline);
    } finally {
      setKernelPool(pool);
    }
  });
});
