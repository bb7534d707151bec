import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import { empty } from '../tensor/create';
import { shapeToString } from '../tensor/shape';

/**
 * The negative log-likelihood of [N, C] log-probabilities at N class indices, reduced by 'mean'
 * or 'sum', in one kernel call instead of five (TakeAlongAxis, Reshape, Neg, Sum, and Mul by
 * 1/N for the mean), with their bits: each −x[i, idx[i]] is exact (a negation), the Sum kernel
 * adds a 1-D tensor's elements in float64 from 0 in order and rounds once to the dtype (reduceImpl
 * and sumF32Fast for a sum with nothing after its axis), and the Mul kernel multiplies that by 1/N
 * as `mul(…, 1 / N)` stores it (rounded to the dtype), rounding the product once. nllLoss and
 * crossEntropyLoss use it when no target is ignored (see `fusedOpsEnabled`); the composite ops are
 * its twin in the tests.
 */
export function nllLossImpl(
  x: TypedArray,
  rows: number,
  classes: number,
  idx: Int32Array,
  mean: boolean,
  out: TypedArray,
): void {
  let s = 0;
  for (let r = 0; r < rows; r++) s += -x[r * classes + idx[r]];
  const f32 = out instanceof Float32Array;
  const sum = f32 ? Math.fround(s) : s;
  out[0] = mean ? sum * (f32 ? Math.fround(1 / rows) : 1 / rows) : sum;
}

/**
 * NllLoss's gradient [N, C] for the loss's gradient dy (one element), with the bits of the
 * composite's backward kernels it replaces (Mul by 1/N for the mean, BroadcastTo, Neg, Reshape,
 * ScatterAlongAxis): zeros, and at each row's class 0 + (−v), v = dy·(1/N) rounded to the dtype
 * (the mean) or dy (the sum).
 */
export function nllLossGradImpl(
  dy: TypedArray,
  rows: number,
  classes: number,
  idx: Int32Array,
  mean: boolean,
  out: TypedArray,
): void {
  const f32 = out instanceof Float32Array;
  let v = dy[0];
  if (mean) {
    v *= f32 ? Math.fround(1 / rows) : 1 / rows;
    if (f32) v = Math.fround(v);
  }
  const w = -v;
  out.fill(0, 0, rows * classes);
  for (let r = 0; r < rows; r++) out[r * classes + idx[r]] += w;
}

function checkAttrs(kernel: string, attrs: Readonly<Record<string, unknown>>, rows: number): Int32Array {
  const idx = attrs.indices as Int32Array;
  if (
    !(idx instanceof Int32Array) ||
    idx.length !== rows ||
    (attrs.reduction !== 'mean' && attrs.reduction !== 'sum')
  ) {
    throw new Error(`${kernel}: needs ${rows} class indices and a reduction 'mean' or 'sum'.`);
  }
  return idx;
}

/**
 * Inputs [log-probabilities [N, C]] (N ≥ 1), attributes `indices` (an Int32Array of N classes,
 * each in [0, C), checked by the caller) and `reduction` ('mean' | 'sum') → the loss, shape [].
 */
export const nllLossConfig: KernelConfig = {
  kernelName: 'NllLoss',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    if (x.rank !== 2 || x.shape[0] < 1)
      throw new Error(`NllLoss: input must be [N, C] with N ≥ 1, got ${shapeToString(x.shape)}.`);
    const [rows, classes] = x.shape;
    const idx = checkAttrs('NllLoss', attrs, rows);
    const out = empty([], x.dtype);
    nllLossImpl(x.data, rows, classes, idx, attrs.reduction === 'mean', out.data);
    return [out];
  },
};

/**
 * Backward-only: inputs [dy (shape [])], NllLoss's attributes plus `classes` (C) → the gradient of
 * its input, [N, C].
 */
export const nllLossGradKernelConfig: KernelConfig = {
  kernelName: 'NllLossGrad',
  backendName: 'cpu',
  kernelFunc: ([dy], attrs) => {
    const idx = attrs.indices as Int32Array;
    const classes = attrs.classes as number;
    checkAttrs('NllLossGrad', attrs, idx?.length ?? -1);
    if (dy.size !== 1) throw new Error(`NllLossGrad: dy must have one element, got ${shapeToString(dy.shape)}.`);
    const out = empty([idx.length, classes], dy.dtype);
    nllLossGradImpl(dy.data, idx.length, classes, idx, attrs.reduction === 'mean', out.data);
    return [out];
  },
};
