import type { GradConfig } from '../../autograd/gradRegistry';

/** Equal is piecewise constant: its gradient is zero (no contribution). */
export const equalGradConfig: GradConfig = {
  kernelName: 'Equal',
  gradFunc: () => [null, null],
};
