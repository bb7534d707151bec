import type { TypedArray } from '../tensor/dtype';

export type SoftmaxOp = 'softmax' | 'logSoftmax' | 'logSumExp';

/**
 * Softmax-family kernels along one axis of a tensor viewed as [outer, n, inner].
 * softmax/logSoftmax write outer·n·inner values; logSumExp writes outer·inner values.
 * NOTE: every variant subtracts the maximum along the axis first, so exp never overflows
 * (log Σ e^{x_i} = m + log Σ e^{x_i − m}); an all −∞ slice gives NaN-free −∞ for logSumExp.
 */
export function softmaxImpl(
  op: SoftmaxOp,
  x: TypedArray,
  out: TypedArray,
  outer: number,
  n: number,
  inner: number,
): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let j = 0; j < inner; j++) {
      let m = -Infinity;
      for (let k = 0; k < n; k++) {
        const v = x[base + k * inner + j];
        if (v > m) m = v;
      }
      if (m === -Infinity) m = 0;
      // e^0 is exactly 1 (the maximum's own term, and its ties): no call for it.
      let s = 0;
      for (let k = 0; k < n; k++) {
        const d = x[base + k * inner + j] - m;
        s += d === 0 ? 1 : Math.exp(d);
      }
      if (op === 'logSumExp') {
        out[o * inner + j] = m + Math.log(s);
      } else if (op === 'softmax') {
        const inv = 1 / s;
        for (let k = 0; k < n; k++) {
          const i = base + k * inner + j;
          out[i] = Math.exp(x[i] - m) * inv;
        }
      } else {
        const ls = m + Math.log(s);
        for (let k = 0; k < n; k++) {
          const i = base + k * inner + j;
          out[i] = x[i] - ls;
        }
      }
    }
  }
}

/** Naive twin (tests only): the textbook formulas, computed in a stable but direct way. */
export function softmaxNaive(op: SoftmaxOp, x: ArrayLike<number>, outer: number, n: number, inner: number): number[] {
  const res: number[] = new Array<number>(op === 'logSumExp' ? outer * inner : outer * n * inner).fill(0);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const vals = Array.from({ length: n }, (_, k) => x[o * n * inner + k * inner + j]);
      const m = Math.max(...vals);
      const lse = m + Math.log(vals.reduce((s, v) => s + Math.exp(v - m), 0));
      if (op === 'logSumExp') res[o * inner + j] = lse;
      else
        vals.forEach((v, k) => (res[o * n * inner + k * inner + j] = op === 'softmax' ? Math.exp(v - lse) : v - lse));
    }
  }
  return res;
}
