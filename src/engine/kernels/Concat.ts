import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import { empty } from '../tensor/create';
import { splitAxis } from './kernelUtil';

/** Concatenation along the axis of [outer, n_i, inner] views; `ns[i]` is input i's axis length. */
export function concatImpl(
  xs: readonly TypedArray[],
  ns: readonly number[],
  outer: number,
  inner: number,
  out: TypedArray,
): void {
  const total = ns.reduce((a, b) => a + b, 0);
  let off = 0;
  for (let t = 0; t < xs.length; t++) {
    const x = xs[t];
    const row = ns[t] * inner;
    for (let o = 0; o < outer; o++) {
      const dst = o * total * inner + off * inner;
      const src = o * row;
      for (let j = 0; j < row; j++) out[dst + j] = x[src + j];
    }
    off += ns[t];
  }
}

/** Naive twin (tests only). */
export function concatNaive(
  xs: readonly ArrayLike<number>[],
  ns: readonly number[],
  outer: number,
  inner: number,
): number[] {
  const res: number[] = [];
  for (let o = 0; o < outer; o++)
    for (let t = 0; t < xs.length; t++) for (let j = 0; j < ns[t] * inner; j++) res.push(xs[t][o * ns[t] * inner + j]);
  return res;
}

export const concatConfig: KernelConfig = {
  kernelName: 'Concat',
  backendName: 'cpu',
  kernelFunc: (xs, attrs) => {
    const axis = attrs.axis as number;
    const ns = xs.map((x) => x.shape[axis]);
    const [outer, , inner] = splitAxis(xs[0].shape, axis);
    const total = ns.reduce((a, b) => a + b, 0);
    const out = empty(
      xs[0].shape.map((d, i) => (i === axis ? total : d)),
      xs[0].dtype,
    );
    concatImpl(
      xs.map((x) => x.data),
      ns,
      outer,
      inner,
      out.data,
    );
    return [out];
  },
};
