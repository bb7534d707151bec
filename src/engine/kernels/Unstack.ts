import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import { empty } from '../tensor/create';
import { splitAxis } from './kernelUtil';
import { sliceImpl } from './Slice';

/**
 * Splits an [outer, n, inner] view into its n slices along the middle axis (outs[k] is slice k,
 * [outer, inner]). One pass instead of n Slice kernels, and — the point — one gradient
 * (a stack) instead of n zero-padded slice gradients, which made backprop through a long
 * sequence quadratic in its length.
 */
export function unstackImpl(x: TypedArray, outer: number, n: number, inner: number, outs: readonly TypedArray[]): void {
  for (let k = 0; k < n; k++) sliceImpl(x, outer, n, inner, k, 1, outs[k]);
}

/** Naive twin (tests only). */
export function unstackNaive(x: ArrayLike<number>, outer: number, n: number, inner: number): number[][] {
  const res: number[][] = [];
  for (let k = 0; k < n; k++) {
    const part: number[] = [];
    for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) part.push(x[(o * n + k) * inner + j]);
    res.push(part);
  }
  return res;
}

/** Kernel "Unstack": input [x]; attrs {axis}; outputs the x.shape[axis] slices with that axis removed. */
export const unstackConfig: KernelConfig = {
  kernelName: 'Unstack',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const axis = attrs.axis as number;
    const [outer, n, inner] = splitAxis(x.shape, axis);
    const shape = x.shape.filter((_, i) => i !== axis);
    const outs = Array.from({ length: n }, () => empty(shape, x.dtype));
    unstackImpl(
      x.data,
      outer,
      n,
      inner,
      outs.map((o) => o.data),
    );
    return outs;
  },
};
