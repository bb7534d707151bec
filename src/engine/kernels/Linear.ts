import type { KernelConfig } from './registry';
import { shapeToString } from '../tensor/shape';
import { binaryRowsF32Simd, ELEMENTWISE_SIMD_MIN } from './wasm/elementwiseF32Simd';
import type { TypedArray } from '../tensor/dtype';
import { sameDType } from './kernelUtil';
import { linearF32, matMulConfig } from './MatMul';

const TRANSPOSE_B = Object.freeze({ transposeA: false, transposeB: true });

/**
 * A Linear layer's x·Wᵀ + b in one kernel call instead of two (MatMul with transposeB, then Add),
 * with their bits: the MatMul kernel writes the product (each element rounded to the dtype), and
 * the bias is added in place as the Add kernel adds it (`binaryF32Simd`, else `binaryImpl`'s
 * loop for a bias-like operand), each sum rounded once. Inputs [x [N, in], W [out, in], b [out]] → [N, out].
 * nn.Linear uses it for a 2-D input with a bias (see `fusedOpsEnabled`); the composite ops are
 * its twin in the tests.
 */
export const linearConfig: KernelConfig = {
  kernelName: 'Linear',
  backendName: 'cpu',
  kernelFunc: ([x, w, b]) => {
    sameDType('Linear', [x, w, b]);
    if (x.rank !== 2 || w.rank !== 2 || b.rank !== 1 || b.shape[0] !== w.shape[0]) {
      throw new Error(
        `Linear: needs x [N, in], W [out, in] and b [out], got ${shapeToString(x.shape)}, ${shapeToString(w.shape)} and ${shapeToString(b.shape)}.`,
      );
    }
    // float32: the bias added in the gemm's module before the product is copied out.
    const fused = linearF32(x, w, b);
    if (fused !== null) return [fused];
    const [y] = matMulConfig.kernelFunc([x, w], TRANSPOSE_B);
    const yd = y.data;
    const bd = b.data;
    // binaryF32Simd's choice for [N, out] + [out], without its shape analysis.
    const simd =
      yd instanceof Float32Array &&
      bd instanceof Float32Array &&
      y.size >= ELEMENTWISE_SIMD_MIN &&
      binaryRowsF32Simd('add', yd, bd, yd, y.size, b.size);
    if (!simd) addRows(yd, bd, y.size, b.size);
    return [y];
  },
};

/** y[r, j] += b[j] over rows of m: binaryImpl's loop for a bias-like add (each sum rounded once by the store), in place. */
function addRows(y: TypedArray, b: TypedArray, n: number, m: number): void {
  for (let r = 0; r < n; r += m) for (let j = 0; j < m; j++) y[r + j] = y[r + j] + b[j];
}
