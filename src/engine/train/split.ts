import { Rng } from '../tensor/rng';

export interface Split {
  train: number[];
  dev: number[];
  test: number[];
}

/**
 * Shuffles 0..n−1 with `seed` and cuts it into train/dev/test by fractions (dev and test are
 * rounded down, train takes the rest). Same seed → same split.
 *
 * @example
 * const { train, dev, test } = splitIndices(1797, { dev: 0.15, test: 0.15, seed: 0 });
 */
export function splitIndices(n: number, opts: { dev?: number; test?: number; seed?: number }): Split {
  const dev = opts.dev ?? 0;
  const test = opts.test ?? 0;
  if (!(dev >= 0 && test >= 0 && dev + test < 1)) {
    throw new Error(`splitIndices: dev (${dev}) and test (${test}) must be ≥ 0 with dev + test < 1.`);
  }
  const perm = new Rng(opts.seed ?? 0).permutation(n);
  const nDev = Math.floor(n * dev);
  const nTest = Math.floor(n * test);
  return {
    test: perm.slice(0, nTest),
    dev: perm.slice(nTest, nTest + nDev),
    train: perm.slice(nTest + nDev),
  };
}
