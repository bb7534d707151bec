import type { Tensor } from '../tensor/tensor';
import type { Shape } from '../tensor/shape';
import { broadcastedAxes, normalizeAxes, shapeToString, shapesEqual, sizeOf } from '../tensor/shape';
import { runKernel1 } from '../autograd/runKernel';
import { mul } from './arithmetic';

/**
 * Sum over `axes` (all when omitted); keepDims keeps reduced axes with size 1.
 *
 * @example
 * sum(tensor([[1, 2], [3, 4]]), 0);   // [4, 6]
 */
export function sum(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return runKernel1('Sum', [x], { axes: normalizeAxes(axes, x.rank), keepDims });
}

/**
 * Mean over `axes` (all when omitted), as sum · (1/count).
 *
 * @example
 * mean(tensor([1, 2, 3]));   // 2
 */
export function mean(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const ax = normalizeAxes(axes, x.rank);
  let count = 1;
  for (const a of ax) count *= x.shape[a];
  return mul(sum(x, ax, keepDims), 1 / count);
}

/**
 * Maximum over `axes` (torch.amax). NOTE: with ties the gradient is split equally among the
 * maximal elements, as torch.amax does.
 *
 * @example
 * max(tensor([[1, 5], [3, 4]]), 1);   // [5, 4]
 */
export function max(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return runKernel1('Max', [x], { axes: normalizeAxes(axes, x.rank), keepDims });
}

/**
 * Sums a broadcast result back to `shape` (how gradients undo broadcasting).
 *
 * @example
 * sumToShape(ones([4, 3]), [3]);   // [4, 4, 4]
 */
export function sumToShape(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const axes = broadcastedAxes(shape, x.shape);
  // NOTE: when only the leading axes that `shape` lacks are summed (a bias gradient), the sum
  // without keepDims already has `shape`: the same kernel and bits, one Reshape call fewer.
  const lead = x.shape.length - shape.length;
  if (lead > 0 && axes.length === lead) return sum(x, axes, false);
  const s = sum(x, axes, true);
  if (sizeOf(s.shape) !== sizeOf(shape)) {
    throw new Error(`sumToShape: cannot reduce ${shapeToString(x.shape)} to ${shapeToString(shape)}.`);
  }
  return runKernel1('Reshape', [s], { shape: [...shape] });
}
