import type { TypedArray } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import { sizeOf, stridesOf } from '../tensor/shape';

export type ReduceOp = 'sum' | 'max';

/** The output shape of a reduction over sorted `axes`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

/**
 * Reduces `x` over the sorted, distinct `axes` into `out` (sizeOf of the reduced shape).
 * Contiguous axis ranges use an (outer, n, inner) loop; other axis sets use an index walk.
 * NOTE: max of an empty axis is −∞ and sum is 0, as in torch.amax/sum.
 */
export function reduceImpl(op: ReduceOp, x: TypedArray, shape: Shape, axes: readonly number[], out: TypedArray): void {
  const outN = sizeOf(reducedShape(shape, axes, true));
  const init = op === 'sum' ? 0 : -Infinity;
  const contiguous = axes.length === 0 || axes[axes.length - 1] - axes[0] === axes.length - 1;
  if (contiguous) {
    let outer = 1;
    let n = 1;
    let inner = 1;
    for (let i = 0; i < shape.length; i++) {
      if (axes.length > 0 && i < axes[0]) outer *= shape[i];
      else if (axes.length > 0 && i <= axes[axes.length - 1]) n *= shape[i];
      else inner *= shape[i];
    }
    if (axes.length === 0) {
      outer = sizeOf(shape);
      inner = 1;
    }
    for (let o = 0; o < outer; o++) {
      const ob = o * inner;
      for (let j = 0; j < inner; j++) out[ob + j] = init;
      const xb = o * n * inner;
      if (op === 'sum') {
        if (inner === 1) {
          let s = 0;
          for (let k = 0; k < n; k++) s += x[xb + k];
          out[ob] = s;
        } else {
          for (let k = 0; k < n; k++) {
            const xr = xb + k * inner;
            for (let j = 0; j < inner; j++) out[ob + j] += x[xr + j];
          }
        }
      } else {
        for (let k = 0; k < n; k++) {
          const xr = xb + k * inner;
          for (let j = 0; j < inner; j++) {
            const v = x[xr + j];
            // NOTE: NaN propagates (v !== v), as torch.amax does.
            if (v > out[ob + j] || v !== v) out[ob + j] = v;
          }
        }
      }
    }
    return;
  }
  // General axis set: walk the input in order, mapping each element to its output slot. When
  // the last axes are all reduced (a conv bias gradient: axes 0, 2, 3 of NCHW) each run of them
  // feeds one slot, so it is summed in a local (rounded to float32 after every addition, exactly
  // as `out[o] += v` on a Float32Array does) and the odometer moves once per run.
  const rank = shape.length;
  const outShapeKeep = reducedShape(shape, axes, true);
  const oStrides = stridesOf(outShapeKeep);
  const eff = shape.map((_, i) => (axes.includes(i) ? 0 : oStrides[i]));
  for (let i = 0; i < outN; i++) out[i] = init;
  let lead = rank;
  while (lead > 0 && axes.includes(lead - 1)) lead--;
  const run = sizeOf(shape.slice(lead));
  const f32 = out instanceof Float32Array;
  const idx = new Array<number>(lead).fill(0);
  let o = 0;
  const n = sizeOf(shape);
  for (let i = 0; i < n; i += run) {
    let acc = out[o];
    const end = i + run;
    if (op === 'sum') {
      if (f32) for (let k = i; k < end; k++) acc = Math.fround(acc + x[k]);
      else for (let k = i; k < end; k++) acc += x[k];
    } else {
      for (let k = i; k < end; k++) {
        const v = x[k];
        if (v > acc || v !== v) acc = v;
      }
    }
    out[o] = acc;
    for (let d = lead - 1; d >= 0; d--) {
      idx[d]++;
      o += eff[d];
      if (idx[d] < shape[d]) break;
      o -= eff[d] * idx[d];
      idx[d] = 0;
    }
  }
}

export function reduceNaive(op: ReduceOp, x: ArrayLike<number>, shape: Shape, axes: readonly number[]): number[] {
  const outShape = reducedShape(shape, axes, true);
  const outN = sizeOf(outShape);
  const res = new Array<number>(outN).fill(op === 'sum' ? 0 : -Infinity);
  const strides = stridesOf(shape);
  const oStrides = stridesOf(outShape);
  for (let i = 0; i < sizeOf(shape); i++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) {
      const c = Math.floor(i / strides[d]) % shape[d];
      if (!axes.includes(d)) o += c * oStrides[d];
    }
    res[o] = op === 'sum' ? res[o] + x[i] : Math.max(res[o], x[i]);
  }
  return res;
}
