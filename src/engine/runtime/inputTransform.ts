import { tensor } from '../tensor/create';
import { shapeToString } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import type { GraphModel } from './compile';

/**
 * The equivariance lab's change of the input: images turned `rotate` quarter turns
 * (torch.rot90(x, rotate, dims=(-2, -1)), counter-clockwise as drawn), then shifted `shiftY`
 * rows down and `shiftX` columns right, circularly (torch.roll(x, (shiftY, shiftX), dims=(-2, -1))).
 */
export interface InputTransform {
  readonly rotate: number;
  readonly shiftY: number;
  readonly shiftX: number;
}

export const NO_TRANSFORM: InputTransform = { rotate: 0, shiftY: 0, shiftX: 0 };

export const isIdentity = (t: InputTransform): boolean => t.rotate % 4 === 0 && t.shiftY === 0 && t.shiftX === 0;

/** The values of `x` (…×H×W) turned and shifted as `t` says; H must equal W to turn. */
export function transformImages(x: Tensor, t: InputTransform): Tensor {
  if (x.rank < 2) throw new Error(`Cannot turn or shift ${shapeToString(x.shape)}: it has no rows and columns.`);
  const [H, W] = x.shape.slice(-2) as [number, number];
  const r = ((t.rotate % 4) + 4) % 4;
  if (r % 2 === 1 && H !== W)
    throw new Error(`A quarter turn needs square images, and these are ${H}×${W} (${shapeToString(x.shape)}).`);
  const src = x.data;
  const out = new Float64Array(x.size);
  const mod = (v: number, n: number) => ((v % n) + n) % n;
  for (let b = 0; b < x.size / (H * W); b++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++) {
        // Where output (i, j) comes from: undo the shift, then the r quarter turns (each out[i][j] = in[j][W−1−i]).
        let u = mod(i - t.shiftY, H);
        let v = mod(j - t.shiftX, W);
        for (let k = 0; k < r; k++) [u, v] = [v, W - 1 - u];
        out[b * H * W + i * W + j] = src[b * H * W + u * W + v];
      }
  return tensor(out, x.shape, { dtype: x.dtype });
}

/**
 * A batch with every image Input (N×C×H×W) turned and shifted; targets and other inputs as they
 * are. A sentence when the model has no image Input.
 */
export function transformBatch(
  model: GraphModel,
  batch: Readonly<Record<string, Tensor>>,
  t: InputTransform,
): Record<string, Tensor> | string {
  if (isIdentity(t)) return { ...batch };
  const images = model.inputNodes.filter((n) => n.outputTypes.out?.shape.length === 4);
  if (images.length === 0)
    return `only images can be turned or shifted, and no Input of this network gives N×C×H×W (${model.inputNodes.map((n) => `${n.id}: ${shapeToString(n.outputTypes.out?.shape ?? [])}`).join(', ')})`;
  const out: Record<string, Tensor> = { ...batch };
  for (const n of images) {
    const x = batch[n.id];
    if (!x) continue;
    try {
      out[n.id] = transformImages(x, t);
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }
  return out;
}
