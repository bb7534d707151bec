import type { Tensor } from '../tensor/tensor';
import { normalizeAxis } from '../tensor/shape';
import { runKernel } from '../autograd/runKernel';

/**
 * Splits x into its slices along `axis`, removing that axis (torch.unbind). The recurrent
 * layers use it to walk a sequence step by step; its gradient is one stack.
 *
 * @example
 * unstack(zeros([5, 2, 3]), 0).length;   // 5 tensors of shape [2, 3]
 */
export function unstack(x: Tensor, axis = 0): Tensor[] {
  const a = normalizeAxis(axis, x.rank);
  return runKernel('Unstack', [x], { axis: a });
}
