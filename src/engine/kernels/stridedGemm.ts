import type { Floats } from './convInfo';

/**
 * Operand of {@link stridedGemm}: element (i, p) of a matrix lives at
 * `data[offset + i·rowStride + p·colStride]`, so a transposed or sliced view costs nothing.
 */
export interface StridedMatrix {
  data: Floats;
  offset: number;
  rowStride: number;
  colStride: number;
}

/**
 * C[i, j] (+)= Σ_p A[i, p] · B[p, j] for i < m, j < n, p < k, with C row-major at
 * `c[cOffset + i·cRowStride + j]`. Used by the convolution kernels on im2col matrices, whose
 * operands are slices and transposes of larger buffers.
 *
 * Register-tiled 4×4: sixteen accumulators stay in registers while p runs, so each loaded
 * element of A and B feeds four multiply-adds.
 */
export function stridedGemm(
  m: number,
  n: number,
  k: number,
  a: StridedMatrix,
  b: StridedMatrix,
  c: Floats,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
): void {
  const A = a.data;
  const B = b.data;
  const aRs = a.rowStride;
  const aCs = a.colStride;
  const bRs = b.rowStride;
  const bCs = b.colStride;
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = a.offset + i * aRs;
    const a1 = a0 + aRs;
    const a2 = a1 + aRs;
    const a3 = a2 + aRs;
    for (let j = 0; j < n4; j += 4) {
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
      let bp = b.offset + j * bCs;
      let ap = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + ap];
        const x1 = A[a1 + ap];
        const x2 = A[a2 + ap];
        const x3 = A[a3 + ap];
        const y0 = B[bp];
        const y1 = B[bp + bCs];
        const y2 = B[bp + 2 * bCs];
        const y3 = B[bp + 3 * bCs];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
        ap += aCs;
        bp += bRs;
      }
      const r0 = cOffset + i * cRowStride + j;
      const r1 = r0 + cRowStride;
      const r2 = r1 + cRowStride;
      const r3 = r2 + cRowStride;
      if (accumulate) {
        c[r0] += c00;
        c[r0 + 1] += c01;
        c[r0 + 2] += c02;
        c[r0 + 3] += c03;
        c[r1] += c10;
        c[r1 + 1] += c11;
        c[r1 + 2] += c12;
        c[r1 + 3] += c13;
        c[r2] += c20;
        c[r2 + 1] += c21;
        c[r2 + 2] += c22;
        c[r2 + 3] += c23;
        c[r3] += c30;
        c[r3 + 1] += c31;
        c[r3 + 2] += c32;
        c[r3 + 3] += c33;
      } else {
        c[r0] = c00;
        c[r0 + 1] = c01;
        c[r0 + 2] = c02;
        c[r0 + 3] = c03;
        c[r1] = c10;
        c[r1 + 1] = c11;
        c[r1 + 2] = c12;
        c[r1 + 3] = c13;
        c[r2] = c20;
        c[r2 + 1] = c21;
        c[r2 + 2] = c22;
        c[r2 + 3] = c23;
        c[r3] = c30;
        c[r3 + 1] = c31;
        c[r3 + 2] = c32;
        c[r3 + 3] = c33;
      }
    }
    for (let j = n4; j < n; j++) {
      for (let ii = i; ii < i + 4; ii++) gemmDot(ii, j, k, a, b, c, cOffset + ii * cRowStride + j, accumulate);
    }
  }
  for (let i = m4; i < m; i++) {
    for (let j = 0; j < n; j++) gemmDot(i, j, k, a, b, c, cOffset + i * cRowStride + j, accumulate);
  }
}

function gemmDot(
  i: number,
  j: number,
  k: number,
  a: StridedMatrix,
  b: StridedMatrix,
  c: Floats,
  at: number,
  accumulate: boolean,
): void {
  let s = 0;
  let ap = a.offset + i * a.rowStride;
  let bp = b.offset + j * b.colStride;
  for (let p = 0; p < k; p++) {
    s += a.data[ap] * b.data[bp];
    ap += a.colStride;
    bp += b.rowStride;
  }
  c[at] = accumulate ? c[at] + s : s;
}
