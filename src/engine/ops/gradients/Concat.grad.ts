import type { GradConfig } from '../../autograd/gradRegistry';
import { slice } from '../shape';

/** Each input gets its slice of dy (input sizes are recorded as the `sizes` attribute). */
export const concatGradConfig: GradConfig = {
  kernelName: 'Concat',
  gradFunc: ([dy], { attrs }) => {
    const axis = attrs.axis as number;
    const sizes = attrs.sizes as number[];
    let off = 0;
    return sizes.map((s) => {
      const part = slice(dy, axis, off, off + s);
      off += s;
      return part;
    });
  },
};
