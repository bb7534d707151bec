import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import { empty } from '../tensor/create';
import { sameDType } from './kernelUtil';
import { shapeToString, shapesEqual } from '../tensor/shape';
import { ELEMENTWISE_SIMD_MIN, unaryCheckedF32Simd } from './wasm/elementwiseF32Simd';
import { unaryImpl } from './unaryImpl';

/**
 * LogSoftmax's gradient along the last axis in one pass, dx = dy − e^y ⊙ Σ dy over rows of `n`,
 * with the bits of the five kernels it replaces (Exp, Sum keeping the axis, Mul, Neg, Add): e^y
 * is the Exp kernel's (its SIMD path in float32), each row's Σ dy is added up in float64 from 0
 * and rounded once (reduceImpl's and sumF32Fast's order for a last-axis sum), and every product
 * and difference is rounded to the dtype as the Mul and Add kernels' stores round theirs.
 * `out` holds e^y first, then dx. Naive twin: `logSoftmaxGradNaive`.
 */
export function logSoftmaxGradImpl(y: TypedArray, dy: TypedArray, out: TypedArray, rows: number, n: number): void {
  const size = rows * n;
  const simd =
    size >= ELEMENTWISE_SIMD_MIN &&
    y instanceof Float32Array &&
    out instanceof Float32Array &&
    unaryCheckedF32Simd('exp', y, out, size);
  if (!simd) unaryImpl('exp', y, out, size, 0);
  if (out instanceof Float32Array) {
    const fr = Math.fround;
    for (let b = 0; b < size; b += n) {
      let s = 0;
      for (let k = b; k < b + n; k++) s += dy[k];
      const sr = fr(s);
      for (let k = b; k < b + n; k++) out[k] = dy[k] + -fr(out[k] * sr);
    }
  } else {
    for (let b = 0; b < size; b += n) {
      let s = 0;
      for (let k = b; k < b + n; k++) s += dy[k];
      for (let k = b; k < b + n; k++) out[k] = dy[k] + -(out[k] * s);
    }
  }
}

/** Naive twin (tests only): the composite gradient's steps, each rounded to the dtype. */
export function logSoftmaxGradNaive(
  y: ArrayLike<number>,
  dy: ArrayLike<number>,
  rows: number,
  n: number,
  f32: boolean,
): number[] {
  const round = f32 ? Math.fround : (v: number): number => v;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += dy[r * n + k];
    const sr = round(s);
    for (let k = 0; k < n; k++) {
      const e = round(Math.exp(y[r * n + k]));
      out.push(round(dy[r * n + k] - round(e * sr)));
    }
  }
  return out;
}

/**
 * Backward-only fused kernel: inputs [LogSoftmax output y, dy] of the same shape, attribute
 * `axis`, which must be the last → dx. Used by LogSoftmax's gradient for the last axis.
 */
export const logSoftmaxGradKernelConfig: KernelConfig = {
  kernelName: 'LogSoftmaxGrad',
  backendName: 'cpu',
  kernelFunc: ([y, dy], attrs) => {
    sameDType('LogSoftmaxGrad', [y, dy]);
    if (!shapesEqual(y.shape, dy.shape) || y.rank === 0 || attrs.axis !== y.rank - 1) {
      throw new Error(
        `LogSoftmaxGrad: shapes ${shapeToString(y.shape)} and ${shapeToString(dy.shape)} with axis ${String(attrs.axis)} (must be equal, along the last axis).`,
      );
    }
    const out = empty(y.shape, y.dtype);
    const n = y.shape[y.rank - 1];
    if (n > 0) logSoftmaxGradImpl(y.data, dy.data, out.data, y.size / n, n);
    return [out];
  },
};
