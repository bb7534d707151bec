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
    const axes = attrs.axes as number[];
    // NOTE: dy lines up with x from the right when the axes were kept or were the leading ones
    // (a mean over the batch): BroadcastTo reads it as it is, without a Reshape call.
    let aligned = attrs.keepDims === true;
    if (!aligned) {
      aligned = true;
      for (let i = 0; i < axes.length; i++) if (axes[i] !== i) aligned = false;
    }
    const keep = aligned ? dy : runKernel1('Reshape', [dy], { shape: reducedShape(tx.shape, axes, true) });
    return [runKernel1('BroadcastTo', [keep], { shape: [...tx.shape] })];
  },
};
