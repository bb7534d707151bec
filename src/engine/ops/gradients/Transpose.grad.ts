import type { GradConfig } from '../../autograd/gradRegistry';
import { permute } from '../shape';

/** dx = dy with the inverse permutation. */
export const transposeGradConfig: GradConfig = {
  kernelName: 'Transpose',
  gradFunc: ([dy], { attrs }) => {
    const perm = attrs.perm as number[];
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [permute(dy, inv)];
  },
};
