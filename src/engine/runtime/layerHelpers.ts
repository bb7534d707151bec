import { predictArgmax } from '../nn/predict';
import type { RNNBase } from '../nn/rnn';
import { concat, expandDims, permute, reshape, slice } from '../ops/shape';
import { tensor } from '../tensor/create';
import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';

/**
 * The small pieces of glue between the graph's ports and the engine's layers. The builders use
 * them and so does code generated from the graph (the `ts` emit hooks import this file), so the
 * canvas and exported code compute the same thing.
 */

/**
 * A recurrent layer's initial state from an N×H port: the same state for every layer and
 * direction, [L·D, N, H] as torch expects; null when the port is not connected.
 *
 * @example
 * rnn.forward(x, initialState(rnn, h0));
 */
export function initialState(m: RNNBase, s: Tensor | undefined | null): Tensor | null {
  if (!s) return null;
  const copies = m.numLayers * (m.bidirectional ? 2 : 1);
  const one = expandDims(s, 0);
  return copies === 1
    ? one
    : concat(
        Array.from({ length: copies }, () => one),
        0,
      );
}

/**
 * The last layer's final state with the directions concatenated: [L·D, N, H] → [N, D·H].
 *
 * @example
 * const hidden = lastLayerState(rnn, rnn.forward(x).hN);
 */
export function lastLayerState(m: RNNBase, hN: Tensor): Tensor {
  const d = m.bidirectional ? 2 : 1;
  const n = hN.shape[1];
  const top = slice(hN, 0, hN.shape[0] - d, hN.shape[0]);
  if (d === 1) return reshape(top, [n, m.hiddenSize]);
  const fwd = reshape(slice(top, 0, 0, 1), [n, m.hiddenSize]);
  const bwd = reshape(slice(top, 0, 1, 2), [n, m.hiddenSize]);
  return concat([fwd, bwd], 1);
}

/**
 * 1 where query i may look at key j (j ≤ i), for a causal scaled dot-product attention.
 *
 * @example
 * scaledDotProductAttention(q, k, v, causalMask(5, 5, 'float32'));
 */
export function causalMask(lq: number, lk: number, dtype: DType): Tensor {
  return tensor(
    Array.from({ length: lq * lk }, (_, k) => (k % lk <= Math.floor(k / lk) ? 1 : 0)),
    [lq, lk],
    { dtype },
  );
}

/**
 * Index of the largest value along `dim` (the first at ties), that axis removed.
 *
 * @example
 * argmaxAlong(scores, -1);   // class indices
 */
export function argmaxAlong(x: Tensor, dim: number): Tensor {
  const d = dim < 0 ? dim + x.rank : dim;
  if (d === x.rank - 1) return predictArgmax(x);
  const perm = [...Array.from({ length: x.rank }, (_, i) => i).filter((i) => i !== d), d];
  return predictArgmax(permute(x, perm));
}
