import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { runKernel1 } from '../../autograd/runKernel';
import { mul, div } from '../arithmetic';
import { equal } from '../compare';
import { sum } from '../reduce';
import { reducedShape } from '../../kernels/reduceImpl';

/** dx = dy on the maximal elements (split equally among ties), 0 elsewhere. */
export const maxGradConfig: GradConfig = {
  kernelName: 'Max',
  inputsToSave: [0],
  outputsToSave: [0],
  gradFunc: ([dy], { inputs: [x], outputs: [y], attrs }) => {
    const tx = x as Tensor;
    const axes = attrs.axes as number[];
    const keepShape = reducedShape(tx.shape, axes, true);
    const yk = runKernel1('Reshape', [y as Tensor], { shape: keepShape });
    const dyk = runKernel1('Reshape', [dy], { shape: keepShape });
    // NOTE: ties share the gradient equally (torch.amax); the count is ≥ 1 by construction.
    const mask = equal(tx, yk);
    return [mul(mask, div(dyk, sum(mask, axes, true)))];
  },
};
