import type { GradConfig } from '../../autograd/gradRegistry';
import { stack } from '../shape';

/** The slices' gradients stacked back along the split axis (zeros for slices that got none). */
export const unstackGradConfig: GradConfig = {
  kernelName: 'Unstack',
  gradFunc: (dys, saved) => [stack(dys, saved.attrs.axis as number)],
};
