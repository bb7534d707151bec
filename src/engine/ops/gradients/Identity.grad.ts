import type { GradConfig } from '../../autograd/gradRegistry';

/** dx = dy. */
export const identityGradConfig: GradConfig = {
  kernelName: 'Identity',
  gradFunc: ([dy]) => [dy],
};
