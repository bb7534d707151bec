import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { runKernel1 } from '../../autograd/runKernel';
import { reducedShape } from '../../kernels/reduceImpl';

/** dx = dy broadcast back over the reduced axes. */
export const sumGradConfig: GradConfig = {
  kernelName: 'Sum',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x], attrs }) => {
    const tx = x as Tensor;
    const keep = runKernel1('Reshape', [dy], { shape: reducedShape(tx.shape, attrs.axes as number[], true) });
    return [runKernel1('BroadcastTo', [keep], { shape: [...tx.shape] })];
  },
};
