import type { GradConfig } from '../../autograd/gradRegistry';
import { neg } from '../arithmetic';

/** d(−x) = −dy. */
export const negGradConfig: GradConfig = {
  kernelName: 'Neg',
  gradFunc: ([dy]) => [neg(dy)],
};
