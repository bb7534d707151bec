import type { KernelConfig } from './registry';
import { empty } from '../tensor/create';
import { shapeToString, sizeOf } from '../tensor/shape';
import { sameDType, expectRank } from './kernelUtil';
import { gemmParallel } from './gemm/gemm';
import { gemmF32Simd } from './wasm/gemmF32Simd';
import { getKernelPool, getParallelThreshold } from '../parallel/kernelPool';
import type { Tensor } from '../tensor/tensor';

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
    if (a.dtype !== b.dtype) sameDType('MatMul', [a, b]); // throws the message
    expectRank('MatMul', a, 2);
    expectRank('MatMul', b, 2);
    const ta = attrs.transposeA === true;
    const tb = attrs.transposeB === true;
    if (a.shape.length === 2 && b.shape.length === 2) {
      // Two matrices (every Linear layer): no batch lists, one product.
      const m = ta ? a.shape[1] : a.shape[0];
      const k = ta ? a.shape[0] : a.shape[1];
      const n = tb ? b.shape[0] : b.shape[1];
      if (k !== (tb ? b.shape[1] : b.shape[0])) matMulInfo(a.shape, b.shape, ta, tb); // throws the message
      const out = empty([m, n], a.dtype);
      gemmParallel(
        m,
        n,
        k,
        { data: a.data, off: 0, rs: ta ? 1 : k, cs: ta ? m : 1 },
        { data: b.data, off: 0, rs: tb ? 1 : n, cs: tb ? k : 1 },
        out.data,
        0,
        false,
      );
      return [out];
    }
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

/**
 * x·Wᵀ + b for float32 x [N, in], W [out, in], b [out] (shapes checked by the caller) in one call
 * of the SIMD gemm, which adds b to C before copying it out: the product's bits, then each sum
 * rounded once to float32 as the Add kernel rounds it, without copying y into the elementwise
 * module and back. Null (nothing allocated) when it does not apply: float64, no WebAssembly SIMD,
 * or a product the kernel pool would split (MatMul's path then).
 */
export function linearF32(x: Tensor, w: Tensor, b: Tensor): Tensor | null {
  const xd = x.data;
  const wd = w.data;
  const bd = b.data;
  if (!(xd instanceof Float32Array && wd instanceof Float32Array && bd instanceof Float32Array)) return null;
  const [m, k] = x.shape;
  const n = w.shape[0];
  if (m === 0 || n === 0 || k === 0 || w.shape[1] !== k) return null;
  const pool = getKernelPool();
  if (m >= 2 && m * n * k >= getParallelThreshold() && pool !== null && pool.threads >= 2) return null;
  const out = empty([m, n], 'float32');
  const A = { data: xd, off: 0, rs: k, cs: 1 };
  const B = { data: wd, off: 0, rs: 1, cs: k };
  if (gemmF32Simd(m, n, k, A, B, out.data as Float32Array, 0, false, bd)) return out;
  out.dispose();
  return null;
}
