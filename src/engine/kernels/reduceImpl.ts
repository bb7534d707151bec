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
  if (op === 'sum' && x instanceof Float32Array && out instanceof Float32Array && sumF32Fast(x, shape, axes, out))
    return;
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
  if (op === 'sum' && f32 && lead > 0 && eff[lead - 1] !== 0 && shape[lead - 1] > 1) {
    sumRunsF32(x, shape, lead, run, eff, out);
    return;
  }
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

/**
 * Float32 sum over one contiguous block of axes (or all of them: `axes` empty), e.g. a bias
 * gradient [N, F] over axis 0 or a loss over every element, without the shape arrays of the
 * general path: the (outer, n, inner) loops of `reduceImpl`, the same additions in the same order
 * with the same roundings (inner = 1: one sum in a double, rounded once when stored; otherwise
 * `out[j] += x` on the Float32Array, rounded after every addition). A function of its own so that
 * its element accesses only ever see Float32Arrays (the small sums of a step are dominated by
 * per-call costs). False (nothing done) when the axes are not one contiguous block.
 */
export function sumF32Fast(x: Float32Array, shape: Shape, axes: readonly number[], out: Float32Array): boolean {
  const na = axes.length;
  let outer = 1;
  let n = 1;
  let inner = 1;
  if (na === 0) {
    for (let i = 0; i < shape.length; i++) outer *= shape[i];
  } else {
    const a0 = axes[0];
    const a1 = axes[na - 1];
    if (a1 - a0 !== na - 1) return false;
    for (let i = 0; i < shape.length; i++) {
      if (i < a0) outer *= shape[i];
      else if (i <= a1) n *= shape[i];
      else inner *= shape[i];
    }
  }
  if (inner === 1) {
    for (let o = 0, xb = 0; o < outer; o++, xb += n) {
      let s = 0;
      for (let k = xb, end = xb + n; k < end; k++) s += x[k];
      out[o] = s;
    }
    return true;
  }
  // Each column's chain of roundings in a local (Math.fround after every addition is exactly the
  // Float32Array store), four columns side by side.
  const fr = Math.fround;
  const end = n * inner;
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    const xb = o * end;
    let j = 0;
    for (; j + 4 <= inner; j += 4) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let k = xb + j, stop = k + end; k < stop; k += inner) {
        a0 = fr(a0 + x[k]);
        a1 = fr(a1 + x[k + 1]);
        a2 = fr(a2 + x[k + 2]);
        a3 = fr(a3 + x[k + 3]);
      }
      out[ob + j] = a0;
      out[ob + j + 1] = a1;
      out[ob + j + 2] = a2;
      out[ob + j + 3] = a3;
    }
    for (; j < inner; j++) {
      let a = 0;
      for (let k = xb + j, stop = k + end; k < stop; k += inner) a = fr(a + x[k]);
      out[ob + j] = a;
    }
  }
  return true;
}

/**
 * The float32 sum of runs of trailing reduced axes (a conv bias gradient: axes 0, 2, 3 of NCHW)
 * when the axis before the run is kept: its consecutive runs feed distinct output slots, so four
 * of them are summed side by side (four independent chains of float32 roundings instead of one
 * long chain: the CPU overlaps them). Each slot's additions are the same, in the same order, as
 * one run at a time; only their interleaving with other slots' differs.
 */
function sumRunsF32(x: TypedArray, shape: Shape, lead: number, run: number, eff: number[], out: TypedArray): void {
  const m = shape[lead - 1];
  const st = eff[lead - 1];
  const blocks = sizeOf(shape.slice(0, lead - 1));
  const fr = Math.fround;
  for (let b = 0; b < blocks; b++) {
    // The output slot of the block's first run: b decomposed over the axes before lead − 1.
    let o = 0;
    for (let d = lead - 2, r = b; d >= 0; d--) {
      o += (r % shape[d]) * eff[d];
      r = Math.floor(r / shape[d]);
    }
    const i0 = b * m * run;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      const [o0, o1, o2, o3] = [o + j * st, o + (j + 1) * st, o + (j + 2) * st, o + (j + 3) * st];
      let a0 = out[o0];
      let a1 = out[o1];
      let a2 = out[o2];
      let a3 = out[o3];
      const x0 = i0 + j * run;
      for (let k = x0, end = x0 + run; k < end; k++) {
        a0 = fr(a0 + x[k]);
        a1 = fr(a1 + x[k + run]);
        a2 = fr(a2 + x[k + 2 * run]);
        a3 = fr(a3 + x[k + 3 * run]);
      }
      out[o0] = a0;
      out[o1] = a1;
      out[o2] = a2;
      out[o3] = a3;
    }
    for (; j < m; j++) {
      let a = out[o + j * st];
      for (let k = i0 + j * run, end = k + run; k < end; k++) a = fr(a + x[k]);
      out[o + j * st] = a;
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
