import type { TypedArray } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import { sizeOf } from '../tensor/shape';
import { broadcastIndex, broadcastMode, prefixRepeat } from './broadcast';
import { binaryRowsF32Simd, ELEMENTWISE_SIMD_MIN } from './wasm/elementwiseF32Simd';

/** Elementwise binary operations with NumPy broadcasting. Comparisons write 1 or 0. */
export type BinaryOp = 'add' | 'mul' | 'div' | 'greater' | 'greaterEqual' | 'equal' | 'maximum' | 'minimum';

/**
 * out[i] = a[ia(i)] ∘ b[ib(i)] over the broadcast output shape. `out` has sizeOf(outShape) elements.
 * Fast paths: equal sizes, one operand repeating along leading axes (bias-like), and one operand
 * whose elements each repeat over trailing axes (a [N, 1] column against [N, C], as in the
 * softmax gradients); the rest goes through index tables.
 */
export function binaryImpl(
  op: BinaryOp,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
): void {
  const n = sizeOf(outShape);
  const ma = broadcastMode(aShape, outShape);
  const mb = broadcastMode(bShape, outShape);
  if (ma === 'same' && mb === 'same') {
    loopSame(op, a, b, out, n);
  } else if (ma === 'same' && (mb === 'suffix' || mb === 'scalar')) {
    loopRowsB(op, a, b, out, n, sizeOf(bShape));
  } else if (mb === 'same' && (ma === 'suffix' || ma === 'scalar')) {
    loopRowsA(op, a, b, out, n, sizeOf(aShape));
  } else if (ma === 'same' && prefixRepeat(bShape, outShape) > 0) {
    loopColsB(op, a, b, out, n, prefixRepeat(bShape, outShape));
  } else if (mb === 'same' && prefixRepeat(aShape, outShape) > 0) {
    loopColsA(op, a, b, out, n, prefixRepeat(aShape, outShape));
  } else {
    const ia = broadcastIndex(aShape, outShape, new Int32Array(n));
    const ib = broadcastIndex(bShape, outShape, new Int32Array(n));
    for (let i = 0; i < n; i++) out[i] = apply(op, a[ia[i]], b[ib[i]]);
  }
}

/**
 * The WebAssembly SIMD path of `binaryImpl` for float32 add and mul when both operands have the
 * output's shape or one repeats along leading axes with a length that is a multiple of 4 (a bias):
 * the same bits as `binaryImpl` (see binaryRowsF32Simd). False (nothing done) in every other case;
 * the caller then runs `binaryImpl`.
 */
export function binaryF32Simd(
  op: BinaryOp,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
): boolean {
  if ((op !== 'add' && op !== 'mul') || !(a instanceof Float32Array) || !(b instanceof Float32Array)) return false;
  if (!(out instanceof Float32Array)) return false;
  const n = sizeOf(outShape);
  if (n < ELEMENTWISE_SIMD_MIN) return false;
  const ma = broadcastMode(aShape, outShape);
  const mb = broadcastMode(bShape, outShape);
  // NOTE: + and · are commutative in IEEE arithmetic, so a repeating `a` swaps the operands.
  if (ma === 'same' && (mb === 'same' || mb === 'suffix')) return binaryRowsF32Simd(op, a, b, out, n, sizeOf(bShape));
  if (mb === 'same' && ma === 'suffix') return binaryRowsF32Simd(op, b, a, out, n, sizeOf(aShape));
  return false;
}

function apply(op: BinaryOp, x: number, y: number): number {
  switch (op) {
    case 'add':
      return x + y;
    case 'mul':
      return x * y;
    case 'div':
      return x / y;
    case 'greater':
      return x > y ? 1 : 0;
    case 'greaterEqual':
      return x >= y ? 1 : 0;
    case 'equal':
      return x === y ? 1 : 0;
    case 'maximum':
      return x >= y ? x : y;
    case 'minimum':
      return x <= y ? x : y;
  }
}

function loopSame(op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray, n: number): void {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      return;
    default:
      for (let i = 0; i < n; i++) out[i] = apply(op, a[i], b[i]);
  }
}

function loopRowsB(op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray, n: number, m: number): void {
  switch (op) {
    case 'add':
      for (let r = 0; r < n; r += m) for (let j = 0; j < m; j++) out[r + j] = a[r + j] + b[j];
      return;
    case 'mul':
      for (let r = 0; r < n; r += m) for (let j = 0; j < m; j++) out[r + j] = a[r + j] * b[j];
      return;
    default:
      for (let r = 0; r < n; r += m) for (let j = 0; j < m; j++) out[r + j] = apply(op, a[r + j], b[j]);
  }
}

function loopRowsA(op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray, n: number, m: number): void {
  switch (op) {
    case 'add':
      for (let r = 0; r < n; r += m) for (let j = 0; j < m; j++) out[r + j] = a[j] + b[r + j];
      return;
    case 'mul':
      for (let r = 0; r < n; r += m) for (let j = 0; j < m; j++) out[r + j] = a[j] * b[r + j];
      return;
    default:
      for (let r = 0; r < n; r += m) for (let j = 0; j < m; j++) out[r + j] = apply(op, a[j], b[r + j]);
  }
}

/** b's element q serves out[q·r .. q·r + r) (b repeats over trailing axes). */
function loopColsB(op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray, n: number, r: number): void {
  switch (op) {
    case 'add':
      for (let q = 0, o = 0; o < n; q++, o += r) for (let j = 0, y = b[q]; j < r; j++) out[o + j] = a[o + j] + y;
      return;
    case 'mul':
      for (let q = 0, o = 0; o < n; q++, o += r) for (let j = 0, y = b[q]; j < r; j++) out[o + j] = a[o + j] * y;
      return;
    default:
      for (let q = 0, o = 0; o < n; q++, o += r) for (let j = 0; j < r; j++) out[o + j] = apply(op, a[o + j], b[q]);
  }
}

/** a's element q serves out[q·r .. q·r + r) (a repeats over trailing axes). */
function loopColsA(op: BinaryOp, a: TypedArray, b: TypedArray, out: TypedArray, n: number, r: number): void {
  switch (op) {
    case 'add':
      for (let q = 0, o = 0; o < n; q++, o += r) for (let j = 0, x = a[q]; j < r; j++) out[o + j] = x + b[o + j];
      return;
    case 'mul':
      for (let q = 0, o = 0; o < n; q++, o += r) for (let j = 0, x = a[q]; j < r; j++) out[o + j] = x * b[o + j];
      return;
    default:
      for (let q = 0, o = 0; o < n; q++, o += r) for (let j = 0; j < r; j++) out[o + j] = apply(op, a[q], b[o + j]);
  }
}

/** Naive twin (tests only): index tables for every case. */
export function binaryNaive(
  op: BinaryOp,
  a: ArrayLike<number>,
  aShape: Shape,
  b: ArrayLike<number>,
  bShape: Shape,
  outShape: Shape,
): number[] {
  const n = sizeOf(outShape);
  const ia = broadcastIndex(aShape, outShape, new Int32Array(n));
  const ib = broadcastIndex(bShape, outShape, new Int32Array(n));
  return Array.from({ length: n }, (_, i) => apply(op, a[ia[i]], b[ib[i]]));
}
