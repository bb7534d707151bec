import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { slice } from '../shape';

/** dx = the un-padded slice of dy. */
export const padAxisGradConfig: GradConfig = {
  kernelName: 'PadAxis',
  inputsToSave: [0],
  gradFunc: ([dy], { inputs: [x], attrs }) => {
    const before = attrs.before as number;
    return [slice(dy, attrs.axis as number, before, before + (x as Tensor).shape[attrs.axis as number])];
  },
};
