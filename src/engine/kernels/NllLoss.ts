import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import { getAllocator } from '../tensor/allocator';
import { empty } from '../tensor/create';
import { shapeToString } from '../tensor/shape';
import { binaryF32Simd, binaryImpl } from './binaryImpl';
import { sumInto } from './Sum';
import { takeAlongAxisImpl } from './TakeAlongAxis';
import { unaryImpl } from './unaryImpl';

/**
 * The negative log-likelihood of [N, C] log-probabilities at N class indices, reduced by 'mean'
 * or 'sum', in one kernel call instead of five (TakeAlongAxis, Reshape, Neg, Sum, and Mul by
 * 1/N for the mean), with their bits: each step runs the typed-array function of the kernel it
 * replaces (`takeAlongAxisImpl`, `unaryImpl('neg')`, the Sum kernel's `sumInto` over axis 0,
 * `binaryImpl('mul')` with 1/N stored in the dtype as `mul(…, 1 / N)` stores it) on scratch
 * arrays from the allocator. nllLoss and crossEntropyLoss use it when no target is ignored (see
 * `fusedOpsEnabled`); the composite ops are its twin in the tests.
 */
export function nllLossImpl(
  x: TypedArray,
  rows: number,
  classes: number,
  idx: Int32Array,
  mean: boolean,
  out: TypedArray,
): void {
  const alloc = getAllocator();
  const dtype = x instanceof Float32Array ? 'float32' : 'float64';
  const per = alloc.alloc(dtype, rows);
  takeAlongAxisImpl(x, rows, classes, 1, 1, idx, per);
  unaryImpl('neg', per, per, rows, 0);
  if (!mean) {
    sumInto(per, [rows], [0], out);
    alloc.free(per);
    return;
  }
  const s = alloc.alloc(dtype, 1);
  sumInto(per, [rows], [0], s);
  const inv = alloc.alloc(dtype, 1);
  inv[0] = 1 / rows;
  if (!binaryF32Simd('mul', s, [], inv, [], out, [])) binaryImpl('mul', s, [], inv, [], out, []);
  alloc.free(inv);
  alloc.free(s);
  alloc.free(per);
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
  let v = dy[0];
  if (mean) {
    const alloc = getAllocator();
    const dtype = dy instanceof Float32Array ? 'float32' : 'float64';
    const inv = alloc.alloc(dtype, 1);
    const m = alloc.alloc(dtype, 1);
    inv[0] = 1 / rows;
    if (!binaryF32Simd('mul', dy, [], inv, [], m, [])) binaryImpl('mul', dy, [], inv, [], m, []);
    v = m[0];
    alloc.free(m);
    alloc.free(inv);
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
