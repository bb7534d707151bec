/**
 * Every range kernel, by name: the table the pool's worker threads look kernels up in.
 * Each entry wraps a pure kernel exported by src/engine/kernels, restricted to a row range.
 */
import type { RangeKernel } from './kernelPool';
import { gemmJs, matMulRows } from '../kernels/MatMul';

/**
 * Gemm: C[i, :] (+)= A[i, :] · B for rows i in the range, with the engine's JS blocked gemm
 * (`gemmJs`, the kernel `stridedGemm` runs inline), so pool and inline agree bit for bit.
 * arrays: [a, b, c]; scalars: [m, n, k, aOffset, aRowStride, aColStride, bOffset, bRowStride,
 * bColStride, cOffset, cRowStride, accumulate (0|1)].
 */
export const gemmRows: RangeKernel = (arrays, s, r0, r1) => {
  const [a, b, c] = arrays;
  gemmJs(
    r1 - r0,
    s[1],
    s[2],
    { data: a, off: s[3] + r0 * s[4], rs: s[4], cs: s[5] },
    { data: b, off: s[6], rs: s[7], cs: s[8] },
    c,
    s[9] + r0 * s[10],
    s[11] === 1,
    s[10],
  );
};

/** MatMul: rows of C = A · B with the engine's blocked gemm (see kernels/MatMul.ts `matMulRows`). */
export const rangeKernels: Readonly<Record<string, RangeKernel>> = {
  Gemm: gemmRows,
  MatMul: matMulRows,
};

export function getRangeKernel(name: string): RangeKernel {
  const k = rangeKernels[name];
  if (k === undefined)
    throw new Error(`No range kernel named "${name}" (known: ${Object.keys(rangeKernels).join(', ')}).`);
  return k;
}
