import type { TypedArray } from '../../tensor/dtype';
import type { GemmOperand } from './pack';
import { gemmJs, gemmSmall } from './gemmJs';
import { gemmF32Simd } from '../wasm/gemmF32Simd';
import { getKernelPool, getParallelThreshold, runRows, type RangeKernel } from '../../parallel/kernelPool';

// Products of at most this many multiply-adds skip packing (float64 / no-SIMD path).
const SMALL = 8 * 8 * 8;

/**
 * C[m×n] (row-major at c[cOff + i·n + j]) = A[m×k] · B[k×n], or += when `accumulate`.
 * float32 operands use the WebAssembly SIMD kernel (../wasm/gemmF32Simd.ts); otherwise (float64,
 * or no WebAssembly SIMD) the JS kernel `gemmJs`: cache-blocked with packing into Float64
 * buffers and a 4×4 register-tiled micro-kernel (16 accumulators, double accumulation);
 * products of at most 8³ multiply-adds use a plain loop.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  A: GemmOperand,
  B: GemmOperand,
  c: TypedArray,
  cOff: number,
  accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) c.fill(0, cOff, cOff + m * n);
    return;
  }
  // float32: the WebAssembly SIMD kernel, at every size (measured faster than the JS loops even
  // at 32×3×16); JS below when it is unavailable.
  if (
    c instanceof Float32Array &&
    A.data instanceof Float32Array &&
    B.data instanceof Float32Array &&
    gemmF32Simd(m, n, k, A, B, c, cOff, accumulate)
  ) {
    return;
  }
  if (m * n * k <= SMALL) {
    gemmSmall(m, n, k, A, B, c, cOff, accumulate);
    return;
  }
  gemmJs(m, n, k, A, B, c, cOff, accumulate);
}

/**
 * `gemm` restricted to rows [r0, r1) of C, in the form the kernel pool runs (see
 * parallel/kernelPool.ts; the pool's workers find it by name in kernels/rangeKernels.ts). arrays: [a, b, c]; scalars: [m, n, k, aOff, aRs, aCs, bOff,
 * bRs, bCs, cOff, accumulate (0|1)].
 */
export const matMulRows: RangeKernel = (arrays, s, r0, r1) => {
  gemm(
    r1 - r0,
    s[1],
    s[2],
    { data: arrays[0], off: s[3] + r0 * s[4], rs: s[4], cs: s[5] },
    { data: arrays[1], off: s[6], rs: s[7], cs: s[8] },
    arrays[2],
    s[9] + r0 * s[1],
    s[10] === 1,
  );
};

/**
 * `gemm` with the rows of C split over the kernel pool when one is installed and the product
 * is big enough; inline otherwise. Same results either way (each element is computed by the
 * same code on the same operands). `force` pins the path (tests and benchmarks).
 */
export function gemmParallel(
  m: number,
  n: number,
  k: number,
  A: GemmOperand,
  B: GemmOperand,
  c: TypedArray,
  cOff: number,
  accumulate: boolean,
  force?: 'inline' | 'pool',
): void {
  // What runRows would run inline, called directly: no task object, scalar list or operand
  // copies per product (the tiny MLP's products are a few microseconds each).
  if (force === 'inline' || (force === undefined && (m < 2 || m * n * k < getParallelThreshold()))) {
    gemm(m, n, k, A, B, c, cOff, accumulate);
    return;
  }
  const pool = getKernelPool();
  if (force === undefined && (pool === null || pool.threads < 2)) {
    gemm(m, n, k, A, B, c, cOff, accumulate);
    return;
  }
  runRows(
    {
      kernel: 'MatMul',
      arrays: [A.data, B.data, c],
      writes: [2],
      scalars: [m, n, k, A.off, A.rs, A.cs, B.off, B.rs, B.cs, cOff, accumulate ? 1 : 0],
      rows: m,
      rowAlign: m >= 256 ? 16 : 4,
    },
    matMulRows,
    m * n * k,
    force,
  );
}

/** Naive twin (tests only): the textbook triple loop. */
export function gemmNaive(m: number, n: number, k: number, A: GemmOperand, B: GemmOperand): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A.data[A.off + i * A.rs + p * A.cs] * B.data[B.off + p * B.rs + j * B.cs];
      out[i * n + j] = s;
    }
  return out;
}
