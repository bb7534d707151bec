import type { GradConfig } from '../../autograd/gradRegistry';

/** Greater is piecewise constant: its gradient is zero (no contribution). */
export const greaterGradConfig: GradConfig = {
  kernelName: 'Greater',
  gradFunc: () => [null, null],
};
