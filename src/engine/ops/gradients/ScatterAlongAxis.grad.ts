import type { GradConfig } from '../../autograd/gradRegistry';
import { runKernel1 } from '../../autograd/runKernel';

/** The gradient of scattering along an axis is taking along it. */
export const scatterAlongAxisGradConfig: GradConfig = {
  kernelName: 'ScatterAlongAxis',
  gradFunc: ([dy], { attrs }) => [
    runKernel1('TakeAlongAxis', [dy], {
      axis: attrs.axis,
      indices: attrs.indices,
      indicesShape: [
        ...dy.shape.map((d, i) => (i === attrs.axis ? (attrs.indices as Int32Array).length / (dy.size / d) : d)),
      ],
    }),
  ],
};
