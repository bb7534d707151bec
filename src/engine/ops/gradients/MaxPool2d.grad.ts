import type { GradConfig } from '../../autograd/gradRegistry';
import { runKernel1 } from '../../autograd/runKernel';
import type { Tensor } from '../../tensor/tensor';

/** Each output gradient goes to its window's (first) maximum, recomputed from the saved input. */
export const maxPool2dGradConfig: GradConfig = {
  kernelName: 'MaxPool2d',
  inputsToSave: [0],
  gradFunc: ([dy], saved) => [runKernel1('MaxPool2dBackward', [dy, saved.inputs[0] as Tensor], saved.attrs)],
};

/**
 * MaxPool2dBackward(dy, x) is linear in dy with a routing fixed by x: its adjoint reads the
 * incoming gradient at the winners (MaxPool2dSelect). The routing is piecewise constant in x,
 * so x gets no gradient (as for comparisons).
 */
export const maxPool2dBackwardGradConfig: GradConfig = {
  kernelName: 'MaxPool2dBackward',
  inputsToSave: [1],
  gradFunc: ([g], saved) => [runKernel1('MaxPool2dSelect', [g, saved.inputs[1] as Tensor], saved.attrs), null],
};

/** MaxPool2dSelect(g, x) is linear in g; its adjoint routes back to the winners (MaxPool2dBackward). */
export const maxPool2dSelectGradConfig: GradConfig = {
  kernelName: 'MaxPool2dSelect',
  inputsToSave: [1],
  gradFunc: ([dy], saved) => [runKernel1('MaxPool2dBackward', [dy, saved.inputs[1] as Tensor], saved.attrs), null],
};
