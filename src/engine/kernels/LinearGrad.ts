import type { KernelConfig } from './registry';
import type { Attrs } from './registry';
import type { Tensor } from '../tensor/tensor';
import { empty } from '../tensor/create';
import { shapeToString } from '../tensor/shape';
import { sameDType } from './kernelUtil';
import { gemmParallel } from './gemm/gemm';
import { sumInto } from './Sum';

/**
 * The attributes of a LinearGrad call: which of dx, dW and db to compute. One frozen object per
 * combination (index dx + 2·dw + 4·db), so that a backward pass builds none.
 */
export const LINEAR_GRAD_ATTRS: readonly Attrs[] = Array.from({ length: 8 }, (_, i) =>
  Object.freeze({ dx: (i & 1) !== 0, dw: (i & 2) !== 0, db: (i & 4) !== 0 }),
);

/**
 * Backward-only: a Linear layer's gradients in one kernel call instead of three (MatMul, MatMul,
 * Sum), with their bits: each output is computed by the same functions with the same operands
 * as the kernel it replaces — dx = dy·W [N, in] and dW = dyᵀ·x [out, in] by `gemmParallel` with
 * MatMul's strides (dyᵀ as a strided view, no copy), db = dy summed over the batch [out] by
 * `sumInto` (the Sum kernel's). Inputs [dy [N, out], x [N, in], W [out, in]]; attributes `dx`,
 * `dw`, `db` say which to compute (one at least); the outputs are those, in that order. Used by
 * Linear's gradient while `fusedOpsEnabled`; the three kernels are its twin in the tests.
 */
export const linearGradKernelConfig: KernelConfig = {
  kernelName: 'LinearGrad',
  backendName: 'cpu',
  kernelFunc: ([dy, x, w], attrs) => {
    if (x.dtype !== dy.dtype || w.dtype !== dy.dtype) sameDType('LinearGrad', [dy, x, w]); // throws the message
    if (
      dy.rank !== 2 ||
      x.rank !== 2 ||
      w.rank !== 2 ||
      x.shape[0] !== dy.shape[0] ||
      w.shape[0] !== dy.shape[1] ||
      w.shape[1] !== x.shape[1]
    ) {
      throw new Error(
        `LinearGrad: needs dy [N, out], x [N, in] and W [out, in], got ${shapeToString(dy.shape)}, ${shapeToString(x.shape)} and ${shapeToString(w.shape)}.`,
      );
    }
    const n = dy.shape[0];
    const outF = dy.shape[1];
    const inF = x.shape[1];
    const outs: Tensor[] = [];
    if (attrs.dx === true) {
      // matmul(dy, W): [N, out]·[out, in].
      const dx = empty([n, inF], dy.dtype);
      gemmParallel(
        n,
        inF,
        outF,
        { data: dy.data, off: 0, rs: outF, cs: 1 },
        { data: w.data, off: 0, rs: inF, cs: 1 },
        dx.data,
        0,
        false,
      );
      outs.push(dx);
    }
    if (attrs.dw === true) {
      // matmul(dy, x, transposeA): [out, N]·[N, in].
      const dw = empty([outF, inF], dy.dtype);
      gemmParallel(
        outF,
        inF,
        n,
        { data: dy.data, off: 0, rs: 1, cs: outF },
        { data: x.data, off: 0, rs: inF, cs: 1 },
        dw.data,
        0,
        false,
      );
      outs.push(dw);
    }
    if (attrs.db === true) {
      // sum(dy, [0]).
      const db = empty([outF], dy.dtype);
      sumInto(dy.data, dy.shape, SUM_AXES, db.data);
      outs.push(db);
    }
    if (outs.length === 0) throw new Error('LinearGrad: asked for none of dx, dW and db.');
    return outs;
  },
};

// A plain array like the ones normalizeAxes makes (a frozen one would give the sum's loops another map).
const SUM_AXES: readonly number[] = [0];
