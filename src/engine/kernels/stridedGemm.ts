import type { Floats } from './convInfo';
import { gemmJs } from './MatMul';

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
 * `c[cOffset + i·cRowStride + j]`, on operands that are slices and transposes of larger buffers.
 * The engine's JS blocked gemm (`gemmJs` in MatMul.ts: packing, 4×4 register-tiled
 * micro-kernel, double accumulation) under the `StridedMatrix` naming; the pool's `Gemm`
 * range kernel runs the same code on row slices, so inline and pool results match bit for bit.
 *
 * @example
 *   stridedGemm(m, n, k, { data: a, offset: 0, rowStride: k, colStride: 1 },
 *     { data: b, offset: 0, rowStride: n, colStride: 1 }, c, 0, n, false);
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
  gemmJs(
    m,
    n,
    k,
    { data: a.data, off: a.offset, rs: a.rowStride, cs: a.colStride },
    { data: b.data, off: b.offset, rs: b.rowStride, cs: b.colStride },
    c,
    cOffset,
    accumulate,
    cRowStride,
  );
}
