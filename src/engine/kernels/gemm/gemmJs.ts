import type { TypedArray } from '../../tensor/dtype';
import type { GemmOperand } from './pack';
import { packColumns, packRows } from './pack';

// Block sizes (GotoBLAS loop order): a KC×NC panel of B and an MC×KC block of A are packed
// into contiguous Float64 buffers (gemm/pack.ts), then a 4×4 register-tiled micro-kernel runs
// over them, accumulating in float64.
const KC = 256;
const MC = 64;
const NC = 512;

// Pack buffers are reused across calls (scratch, not outputs).
let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);

/**
 * The plain-JS blocked kernel of `gemm` (any dtype; the float64 path): C[i, j] at
 * c[cOff + i·n + j]. Each element of C gets the same sequence of operations whatever m is, so
 * running it on a slice of the rows (the kernel pool) gives bit-identical rows.
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
): void {
  const ldc = n;
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
      packColumns(B, pc, kc, jc, nc, 4, packB);
      const first = pc === 0 && !accumulate;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packRows(A, ic, mc, pc, kc, 4, packA);
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

function roundUp4(x: number): number {
  return (x + 3) & ~3;
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
export function gemmSmall(
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
