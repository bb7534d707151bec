import type { Tensor } from '../tensor/tensor';
import { empty } from '../tensor/create';
import { shapeToString } from '../tensor/shape';
import { sigmoid, softmax } from '../ops/activation';
import { noGrad } from '../autograd/gradMode';

/**
 * ±1 prediction from a score: +1 where w ≥ 0, −1 otherwise (convention: a score of exactly
 * 0 predicts +1). Not differentiable; nothing is recorded.
 *
 * @example
 * predictSign(tensor([-0.2, 0, 3]));   // [-1, 1, 1]
 */
export function predictSign(scores: Tensor): Tensor {
  const out = empty(scores.shape, scores.dtype);
  const s = scores.data;
  for (let i = 0; i < scores.size; i++) out.data[i] = s[i] >= 0 ? 1 : -1;
  return out;
}

/**
 * 0/1 prediction: 1 where x ≥ threshold (default 0, i.e. σ(w) ≥ 0.5 for logits; pass 0.5 for
 * probabilities).
 *
 * @example
 * predictThreshold(tensor([-1, 2]));   // [0, 1]
 */
export function predictThreshold(x: Tensor, threshold = 0): Tensor {
  const out = empty(x.shape, x.dtype);
  const s = x.data;
  for (let i = 0; i < x.size; i++) out.data[i] = s[i] >= threshold ? 1 : 0;
  return out;
}

/**
 * Index of the largest score along the last axis (the first one at ties), as a tensor of
 * class indices with the last axis removed.
 *
 * @example
 * predictArgmax(tensor([[0.1, 2, 0.3]])).toArray();   // [1]
 */
export function predictArgmax(scores: Tensor): Tensor {
  if (scores.rank < 1)
    throw new Error(`predictArgmax needs at least one axis, got shape ${shapeToString(scores.shape)}.`);
  const c = scores.shape[scores.rank - 1];
  const rows = c === 0 ? 0 : scores.size / c;
  const out = empty(scores.shape.slice(0, -1), scores.dtype);
  const s = scores.data;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (s[r * c + j] > s[r * c + best]) best = j;
    out.data[r] = best;
  }
  return out;
}

/**
 * P(y = 1) = σ(w) for binary logits.
 *
 * @example
 * sigmoidProba(logits);
 */
export function sigmoidProba(logits: Tensor): Tensor {
  return noGrad(() => sigmoid(logits));
}

/**
 * Class probabilities softmax(w) along the last axis.
 *
 * @example
 * softmaxProba(logits);   // rows sum to 1
 */
export function softmaxProba(logits: Tensor): Tensor {
  return noGrad(() => softmax(logits, -1));
}
