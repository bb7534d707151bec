import type { TypedArray } from '../tensor/dtype';

/** Fused backward of an activation: 'tanh' and 'sigmoid' read the output y, 'relu' the input x. */
export type ActivationGradOp = 'tanh' | 'sigmoid' | 'relu';

/**
 * dx[i] = dy[i] · f'(…): tanh 1 − y², sigmoid y(1 − y), relu [x > 0]
 * (NOTE: relu'(0) = 0, as in PyTorch). One pass instead of three ops.
 */
export function activationGradImpl(
  op: ActivationGradOp,
  v: TypedArray,
  dy: TypedArray,
  out: TypedArray,
  n: number,
): void {
  switch (op) {
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = dy[i] * (1 - v[i] * v[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = dy[i] * v[i] * (1 - v[i]);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = v[i] > 0 ? dy[i] : 0;
      return;
  }
}

/** Naive twin (tests only). */
export function activationGradNaive(op: ActivationGradOp, v: ArrayLike<number>, dy: ArrayLike<number>): number[] {
  return Array.from(dy, (g, i) => {
    const x = v[i];
    if (op === 'tanh') return g * (1 - x ** 2);
    if (op === 'sigmoid') return g * (x - x ** 2);
    return x > 0 ? g : 0;
  });
}
