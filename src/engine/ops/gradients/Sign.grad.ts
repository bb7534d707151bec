import type { GradConfig } from '../../autograd/gradRegistry';

/** Sign is piecewise constant: its gradient is zero (no contribution). */
export const signGradConfig: GradConfig = {
  kernelName: 'Sign',
  gradFunc: () => [null],
};
