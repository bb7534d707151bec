import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import { empty } from '../tensor/create';
import { shapeToString, sizeOf } from '../tensor/shape';
import { sameDType, expectRank } from './kernelUtil';
import { gemmF32Simd } from './wasm/gemmF32Simd';
import { runRows, type RangeKernel } from '../parallel/kernelPool';

/**
 * A strided matrix operand: element (i, p) lives at data[off + i·rs + p·cs]. A transposed
 * operand is the same data with rs and cs swapped, so transposes cost nothing here.
 */
export interface GemmOperand {
  data: TypedArray;
  off: number;
  rs: number;
  cs: number;
}

// Block sizes (GotoBLAS loop order): a KC×NC panel of B and an MC×KC block of A are packed
// into contiguous Float64 buffers, then a 4×4 register-tiled micro-kernel runs over them.
const KC = 256;
const MC = 64;
const NC = 512;
const SMALL = 8 * 8 * 8;

// Pack buffers are reused across calls (scratch, not outputs).
let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);

/**
 * C[m×n] (row-major at c[cOff + i·n + j]) = A[m×k] · B[k×n], or += when `accumulate`.
 * float32 operands use the WebAssembly SIMD kernel (wasm/gemmF32Simd.ts); otherwise (float64,
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
 * The plain-JS blocked kernel of {@link gemm} (any dtype): C[i, j] at c[cOff + i·ldc + j]
 * (ldc ≥ n, default n, so C may be a block of a wider matrix). Also the kernel of the pool's
 * `Gemm` range kernel and of `stridedGemm`. Each element of C gets the same sequence of
 * operations whatever m is, so running it on a slice of the rows gives bit-identical rows.
 *
 * @example
 *   gemmJs(m, n, k, { data: a, off: 0, rs: k, cs: 1 }, { data: b, off: 0, rs: n, cs: 1 }, c, 0, false);
 */
export function gemmJs(
  m: number,
  n: number,
  k: number,
  A: GemmOperand,
  B: GemmOperand,
  c: TypedArray,
  cOff: number,
  accumulate: boolean,
  ldc = n,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) for (let i = 0; i < m; i++) c.fill(0, cOff + i * ldc, cOff + i * ldc + n);
    return;
  }
  const mcMax = Math.min(MC, roundUp4(m));
  const ncMax = Math.min(NC, roundUp4(n));
  const kcMax = Math.min(KC, k);
  if (packA.length < mcMax * kcMax) packA = new Float64Array(mcMax * kcMax);
  if (packB.length < kcMax * ncMax) packB = new Float64Array(kcMax * ncMax);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelB(B, pc, kc, jc, nc, packB);
      const first = pc === 0 && !accumulate;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packBlockA(A, ic, mc, pc, kc, packA);
        for (let jr = 0; jr < nc; jr += 4) {
          const nr = Math.min(4, nc - jr);
          for (let ir = 0; ir < mc; ir += 4) {
            const mr = Math.min(4, mc - ir);
            micro4x4(kc, packA, ir * kc, packB, jr * kc, c, cOff + (ic + ir) * ldc + jc + jr, ldc, mr, nr, first);
          }
        }
      }
    }
  }
}

/**
 * `gemm` restricted to rows [r0, r1) of C, in the form the kernel pool runs (see
 * engine/parallel/kernelPool.ts). arrays: [a, b, c]; scalars: [m, n, k, aOff, aRs, aCs, bOff,
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
 * same code on the same operands).
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
): void {
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
  );
}

function roundUp4(x: number): number {
  return (x + 3) & ~3;
}

/** Packs A[i0:i0+mc, p0:p0+kc] as row-quads: dst[(i/4)·kc·4 + p·4 + i%4], zero-padded. */
function packBlockA(A: GemmOperand, i0: number, mc: number, p0: number, kc: number, dst: Float64Array): void {
  const a = A.data;
  const rs = A.rs;
  const cs = A.cs;
  for (let ib = 0; ib < mc; ib += 4) {
    const base = ib * kc;
    const rows = Math.min(4, mc - ib);
    for (let r = 0; r < 4; r++) {
      if (r < rows) {
        let src = A.off + (i0 + ib + r) * rs + p0 * cs;
        for (let p = 0; p < kc; p++) {
          dst[base + p * 4 + r] = a[src];
          src += cs;
        }
      } else {
        for (let p = 0; p < kc; p++) dst[base + p * 4 + r] = 0;
      }
    }
  }
}

/** Packs B[p0:p0+kc, j0:j0+nc] as column-quads: dst[(j/4)·kc·4 + p·4 + j%4], zero-padded. */
function packPanelB(B: GemmOperand, p0: number, kc: number, j0: number, nc: number, dst: Float64Array): void {
  const b = B.data;
  const rs = B.rs;
  const cs = B.cs;
  for (let jb = 0; jb < nc; jb += 4) {
    const base = jb * kc;
    const cols = Math.min(4, nc - jb);
    if (cols === 4 && cs === 1) {
      let src = B.off + p0 * rs + j0 + jb;
      for (let p = 0; p < kc; p++) {
        const d = base + p * 4;
        dst[d] = b[src];
        dst[d + 1] = b[src + 1];
        dst[d + 2] = b[src + 2];
        dst[d + 3] = b[src + 3];
        src += rs;
      }
      continue;
    }
    for (let q = 0; q < 4; q++) {
      if (q < cols) {
        let src = B.off + p0 * rs + (j0 + jb + q) * cs;
        for (let p = 0; p < kc; p++) {
          dst[base + p * 4 + q] = b[src];
          src += rs;
        }
      } else {
        for (let p = 0; p < kc; p++) dst[base + p * 4 + q] = 0;
      }
    }
  }
}

/** The 4×4 micro-kernel: 16 accumulators in registers, each loaded A/B value feeds 4 multiply-adds. */
function micro4x4(
  kc: number,
  pa: Float64Array,
  ao: number,
  pb: Float64Array,
  bo: number,
  c: TypedArray,
  co: number,
  ldc: number,
  mr: number,
  nr: number,
  first: boolean,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  const end = ao + kc * 4;
  let bi = bo;
  for (let ai = ao; ai < end; ai += 4) {
    const a0 = pa[ai];
    const a1 = pa[ai + 1];
    const a2 = pa[ai + 2];
    const a3 = pa[ai + 3];
    const b0 = pb[bi];
    const b1 = pb[bi + 1];
    const b2 = pb[bi + 2];
    const b3 = pb[bi + 3];
    bi += 4;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  if (mr === 4 && nr === 4) {
    if (first) {
      c[co] = c00;
      c[co + 1] = c01;
      c[co + 2] = c02;
      c[co + 3] = c03;
      co += ldc;
      c[co] = c10;
      c[co + 1] = c11;
      c[co + 2] = c12;
      c[co + 3] = c13;
      co += ldc;
      c[co] = c20;
      c[co + 1] = c21;
      c[co + 2] = c22;
      c[co + 3] = c23;
      co += ldc;
      c[co] = c30;
      c[co + 1] = c31;
      c[co + 2] = c32;
      c[co + 3] = c33;
    } else {
      c[co] += c00;
      c[co + 1] += c01;
      c[co + 2] += c02;
      c[co + 3] += c03;
      co += ldc;
      c[co] += c10;
      c[co + 1] += c11;
      c[co + 2] += c12;
      c[co + 3] += c13;
      co += ldc;
      c[co] += c20;
      c[co + 1] += c21;
      c[co + 2] += c22;
      c[co + 3] += c23;
      co += ldc;
      c[co] += c30;
      c[co + 1] += c31;
      c[co + 2] += c32;
      c[co + 3] += c33;
    }
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < mr; r++) {
    for (let q = 0; q < nr; q++) {
      const o = co + r * ldc + q;
      c[o] = first ? tile[r * 4 + q] : c[o] + tile[r * 4 + q];
    }
  }
}

/** Small products skip packing: i-p-j loop order streams rows of B and C. */
function gemmSmall(
  m: number,
  n: number,
  k: number,
  A: GemmOperand,
  B: GemmOperand,
  c: TypedArray,
  cOff: number,
  accumulate: boolean,
): void {
  const a = A.data;
  const b = B.data;
  if (!accumulate) c.fill(0, cOff, cOff + m * n);
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * n;
    for (let p = 0; p < k; p++) {
      const av = a[A.off + i * A.rs + p * A.cs];
      if (av === 0) continue;
      const bp = B.off + p * B.rs;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j * B.cs];
    }
  }
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

/** Shapes of a (batched) matmul: [...batch, m, k] · [...batch, k, n] after the transposes. */
export interface MatMulInfo {
  batch: number[];
  m: number;
  n: number;
  k: number;
  aBatched: boolean;
  bBatched: boolean;
}

export function matMulInfo(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): MatMulInfo {
  const ra = aShape.length;
  const rb = bShape.length;
  const m = transposeA ? aShape[ra - 1] : aShape[ra - 2];
  const ka = transposeA ? aShape[ra - 2] : aShape[ra - 1];
  const kb = transposeB ? bShape[rb - 1] : bShape[rb - 2];
  const n = transposeB ? bShape[rb - 2] : bShape[rb - 1];
  if (ka !== kb) {
    throw new Error(
      `matmul: inner dimensions differ: ${shapeToString(aShape)}${transposeA ? 'ᵀ' : ''} · ${shapeToString(bShape)}${transposeB ? 'ᵀ' : ''} (${ka} vs ${kb}).`,
    );
  }
  const ba = aShape.slice(0, ra - 2);
  const bb = bShape.slice(0, rb - 2);
  if (ba.length > 0 && bb.length > 0 && (ba.length !== bb.length || ba.some((d, i) => d !== bb[i]))) {
    throw new Error(
      `matmul: batch dimensions differ: ${shapeToString(aShape)} vs ${shapeToString(bShape)}; they must be equal, or one operand must be 2-D.`,
    );
  }
  return { batch: ba.length > 0 ? ba : bb, m, n, k: ka, aBatched: ba.length > 0, bBatched: bb.length > 0 };
}

export const matMulConfig: KernelConfig = {
  kernelName: 'MatMul',
  backendName: 'cpu',
  kernelFunc: ([a, b], attrs) => {
    sameDType('MatMul', [a, b]);
    expectRank('MatMul', a, 2);
    expectRank('MatMul', b, 2);
    const ta = attrs.transposeA === true;
    const tb = attrs.transposeB === true;
    const info = matMulInfo(a.shape, b.shape, ta, tb);
    const { m, n, k } = info;
    const out = empty([...info.batch, m, n], a.dtype);
    const batches = sizeOf(info.batch);
    const ad = a.data;
    const bd = b.data;
    // Row stride and column stride of the logical (possibly transposed) operand.
    const aRs = ta ? 1 : k;
    const aCs = ta ? m : 1;
    const bRs = tb ? 1 : n;
    const bCs = tb ? k : 1;
    if (!info.bBatched && !ta && info.aBatched) {
      // [...batch, m, k] · [k, n]: one big product over the flattened rows.
      gemmParallel(
        batches * m,
        n,
        k,
        { data: ad, off: 0, rs: aRs, cs: aCs },
        { data: bd, off: 0, rs: bRs, cs: bCs },
        out.data,
        0,
        false,
      );
      return [out];
    }
    for (let t = 0; t < batches; t++) {
      const A = { data: ad, off: info.aBatched ? t * m * k : 0, rs: aRs, cs: aCs };
      const B = { data: bd, off: info.bBatched ? t * k * n : 0, rs: bRs, cs: bCs };
      gemmParallel(m, n, k, A, B, out.data, t * m * n, false);
    }
    return [out];
  },
};
