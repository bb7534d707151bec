import type { GradConfig } from '../../autograd/gradRegistry';
import { runKernel1 } from '../../autograd/runKernel';

/** The gradient of a scatter-add is a gather. */
export const scatterAddGradConfig: GradConfig = {
  kernelName: 'ScatterAdd',
  gradFunc: ([dy], { attrs }) => [runKernel1('Gather', [dy], { axis: attrs.axis, indices: attrs.indices })],
};
