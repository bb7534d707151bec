import type { Tensor } from '../tensor/tensor';
import type { Rng } from '../tensor/rng';
import { empty } from '../tensor/create';
import { mul } from '../ops/arithmetic';
import { Module } from './module';

/**
 * Inverted dropout (torch.nn.Dropout): in training, each element is kept with probability
 * 1 − p and scaled by 1/(1 − p); in eval mode it is the identity. The mask comes from `rng`
 * (one uniform per element, row-major: kept when u ≥ p), so runs are reproducible.
 *
 * @example
 * const drop = new Dropout(0.5, new Rng(1));
 * drop.eval().forward(x) === x;   // identity in eval mode
 */
export class Dropout extends Module {
  constructor(
    readonly p: number,
    /** Its own generator (the export reads its state to replay the masks). */
    readonly rng: Rng,
  ) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: p must be in [0, 1], got ${p}.`);
  }

  /**
   * The mask of the last forward pass in training mode (0 where dropped, 1/(1 − p) where kept),
   * null after one in evaluation mode or with p = 0: the step view draws it on the edge.
   */
  lastMask: Tensor | null = null;

  forward(x: Tensor): Tensor {
    this.lastMask = null;
    if (!this.training || this.p === 0) return x;
    const mask = empty(x.shape, x.dtype);
    const d = mask.data;
    // NOTE: p = 1 drops everything (scale would be 1/0); torch returns zeros too.
    const scale = this.p === 1 ? 0 : 1 / (1 - this.p);
    for (let i = 0; i < x.size; i++) d[i] = this.rng.next() >= this.p ? scale : 0;
    this.lastMask = mask;
    return mul(x, mask);
  }
}
