import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { runKernel1 } from '../../autograd/runKernel';

/** dx = dy zero-padded back to the input's length along the axis. */
export const sliceGradConfig: GradConfig = {
  kernelName: 'Slice',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x], attrs }) => {
    const axis = attrs.axis as number;
    const n = (x as Tensor).shape[axis];
    return [runKernel1('PadAxis', [dy], { axis, before: attrs.start as number, after: n - (attrs.end as number) })];
  },
};
