import type { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import { Rng } from '../tensor/rng';
import type { Dataset } from './dataset';
import { toTensors } from './dataset';

export interface Batch {
  x: Tensor;
  y: Tensor;
  /** Indices into the data set of this batch's samples. */
  indices: number[];
}

export interface LoaderOptions {
  batchSize: number;
  /** Reshuffle the order every epoch (default true). */
  shuffle?: boolean;
  /** Drop a last, smaller batch (default false). */
  dropLast?: boolean;
  dtype?: DType;
}

/**
 * Mini-batches over `indices` of a data set. Each call to epoch() yields one pass; with
 * shuffle the order of pass e comes from the loader's RNG (seeded once), so a given seed
 * gives the same batches on every machine.
 *
 * @example
 * const loader = new DataLoader(ds, split.train, { batchSize: 32 }, 0);
 * for (const { x, y } of loader.epoch()) { ... }
 */
export class DataLoader {
  private readonly rng: Rng;

  constructor(
    readonly dataset: Dataset,
    readonly indices: readonly number[],
    readonly opts: LoaderOptions,
    seed = 0,
  ) {
    if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) {
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${opts.batchSize}.`);
    }
    this.rng = new Rng(seed);
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.indices.length;
    return this.opts.dropLast === true ? Math.floor(n / this.opts.batchSize) : Math.ceil(n / this.opts.batchSize);
  }

  *epoch(): Generator<Batch> {
    const order = [...this.indices];
    if (this.opts.shuffle !== false) this.rng.shuffle(order);
    const bs = this.opts.batchSize;
    for (let s = 0; s < order.length; s += bs) {
      const idx = order.slice(s, s + bs);
      if (idx.length < bs && this.opts.dropLast === true) break;
      const { x, y } = toTensors(this.dataset, idx, this.opts.dtype ?? 'float32');
      yield { x, y, indices: idx };
    }
  }

  /** The loader's RNG state (to resume a run exactly). */
  getState(): ReturnType<Rng['getState']> {
    return this.rng.getState();
  }

  setState(s: ReturnType<Rng['getState']>): void {
    this.rng.setState(s);
  }
}
