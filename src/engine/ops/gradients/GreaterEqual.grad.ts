import type { GradConfig } from '../../autograd/gradRegistry';

/** GreaterEqual is piecewise constant: its gradient is zero (no contribution). */
export const greaterEqualGradConfig: GradConfig = {
  kernelName: 'GreaterEqual',
  gradFunc: () => [null, null],
};
