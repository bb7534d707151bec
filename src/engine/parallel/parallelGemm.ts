import type { Floats } from '../kernels/convInfo';
import type { StridedMatrix } from '../kernels/stridedGemm';
import { runRows } from './kernelPool';
import { gemmRows } from './rangeKernels';

/**
 * Same contract as `stridedGemm`, with the rows of C split over the kernel pool when the
 * product is big enough (see `runRows`); identical results either way, since every element
 * of C is computed by the same code on the same operands.
 *
 * @example
 *   parallelGemm(m, n, k, { data: a, offset: 0, rowStride: k, colStride: 1 },
 *     { data: b, offset: 0, rowStride: n, colStride: 1 }, c, 0, n, false);
 */
export function parallelGemm(
  m: number,
  n: number,
  k: number,
  a: StridedMatrix,
  b: StridedMatrix,
  c: Floats,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
  force?: 'inline' | 'pool',
): void {
  runRows(
    {
      kernel: 'Gemm',
      arrays: [a.data, b.data, c],
      writes: [2],
      scalars: [
        m,
        n,
        k,
        a.offset,
        a.rowStride,
        a.colStride,
        b.offset,
        b.rowStride,
        b.colStride,
        cOffset,
        cRowStride,
        accumulate ? 1 : 0,
      ],
      rows: m,
      rowAlign: 4,
    },
    gemmRows,
    m * n * k,
    force,
  );
}
