import type { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import type { Rng } from '../tensor/rng';
import { shapeToString } from '../tensor/shape';
import { add, mul } from '../ops/arithmetic';
import { softmax, tanh } from '../ops/activation';
import { matmul } from '../ops/matmul';
import { expandDims, squeeze } from '../ops/shape';
import { where } from '../ops/compare';
import { Module } from './module';
import { Linear } from './linear';

export interface AttentionResult {
  /** The attended values, [..., Lq, Dv]. */
  output: Tensor;
  /** The attention weights (rows sum to 1), [..., Lq, Lk]. */
  weights: Tensor;
}

/**
 * Replaces scores where `mask` is 0 by −∞ before the softmax. `mask` holds 1 where a query may
 * attend to a key (torch 2's boolean attn_mask convention) and broadcasts against the scores.
 * NOTE: a query row with no allowed key gets NaN weights, exactly as in PyTorch.
 */
export function maskScores(scores: Tensor, mask: Tensor | null | undefined, what: string): Tensor {
  if (!mask) return scores;
  const r = scores.rank;
  if (mask.rank > r || mask.shape.some((d, i) => d !== 1 && d !== scores.shape[r - mask.rank + i])) {
    throw new Error(
      `${what}: the mask ${shapeToString(mask.shape)} does not broadcast against the scores ${shapeToString(scores.shape)}.`,
    );
  }
  return where(mask, scores, -Infinity);
}

/**
 * softmax(q·kᵀ / √d)·v with an optional mask (1 = may attend), returning the weights too.
 * q [..., Lq, d], k [..., Lk, d], v [..., Lk, dv] → output [..., Lq, dv], weights [..., Lq, Lk].
 *
 * @example
 * const { output, weights } = scaledDotProductAttention(q, k, v, causalMask);
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, mask?: Tensor | null): AttentionResult {
  const d = q.shape[q.rank - 1];
  if (k.shape[k.rank - 1] !== d || k.shape[k.rank - 2] !== v.shape[v.rank - 2]) {
    throw new Error(
      `Attention: query ${shapeToString(q.shape)}, key ${shapeToString(k.shape)} and value ${shapeToString(v.shape)} do not fit (query and key need the same last size, key and value the same length).`,
    );
  }
  const scores = maskScores(mul(matmul(q, k, false, true), 1 / Math.sqrt(d)), mask, 'Attention');
  const weights = softmax(scores, -1);
  return { output: matmul(weights, v), weights };
}

/**
 * Additive (Bahdanau) attention: score(q, k) = w_vᵀ tanh(W_q q + W_k k), then softmax over the
 * keys and a weighted sum of the values. Parameters `W_q.weight` [hidden, query_size],
 * `W_k.weight` [hidden, key_size], `w_v.weight` [1, hidden] (no biases; Linear's default init).
 * forward(queries [N, Lq, q], keys [N, Lk, k], values [N, Lk, dv], mask? (1 = may attend)).
 *
 * @example
 * const att = new AdditiveAttention(4, 3, 5, new Rng(0));
 * const { output, weights } = att.forward(q, k, v);   // weights [N, Lq, Lk]
 */
export class AdditiveAttention extends Module {
  readonly W_q: Linear;
  readonly W_k: Linear;
  readonly w_v: Linear;

  constructor(
    readonly querySize: number,
    readonly keySize: number,
    readonly numHiddens: number,
    rng: Rng,
    opts: { dtype?: DType } = {},
  ) {
    super();
    this.W_q = this.registerModule('W_q', new Linear(querySize, numHiddens, rng, { bias: false, dtype: opts.dtype }));
    this.W_k = this.registerModule('W_k', new Linear(keySize, numHiddens, rng, { bias: false, dtype: opts.dtype }));
    this.w_v = this.registerModule('w_v', new Linear(numHiddens, 1, rng, { bias: false, dtype: opts.dtype }));
  }

  forward(queries: Tensor, keys: Tensor, values: Tensor, mask?: Tensor | null): AttentionResult {
    if (
      queries.rank !== 3 ||
      keys.rank !== 3 ||
      values.rank !== 3 ||
      queries.shape[2] !== this.querySize ||
      keys.shape[2] !== this.keySize ||
      keys.shape[1] !== values.shape[1] ||
      queries.shape[0] !== keys.shape[0] ||
      keys.shape[0] !== values.shape[0]
    ) {
      throw new Error(
        `AdditiveAttention expects queries [N, Lq, ${this.querySize}], keys [N, Lk, ${this.keySize}] and values [N, Lk, dv]; got ${shapeToString(queries.shape)}, ${shapeToString(keys.shape)}, ${shapeToString(values.shape)}.`,
      );
    }
    // [N, Lq, 1, H] + [N, 1, Lk, H] → [N, Lq, Lk, H]
    const features = tanh(add(expandDims(this.W_q.forward(queries), 2), expandDims(this.W_k.forward(keys), 1)));
    const scores = maskScores(squeeze(this.w_v.forward(features), -1), mask, 'AdditiveAttention');
    const weights = softmax(scores, -1);
    return { output: matmul(weights, values), weights };
  }
}
