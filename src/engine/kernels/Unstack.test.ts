import { describe, it, expect } from 'vitest';
import { unstackImpl, unstackNaive } from './Unstack';
import { fillUniform } from './testRandom.test-support';

describe('Unstack kernel', () => {
  it.each([
    [1, 5, 3],
    [4, 3, 2],
    [2, 1, 7],
    [3, 20, 1],
  ])('matches its naive twin for [outer, n, inner] = [%i, %i, %i]', (outer, n, inner) => {
    const x = fillUniform(new Float64Array(outer * n * inner), outer * 100 + n);
    const outs = Array.from({ length: n }, () => new Float64Array(outer * inner));
    unstackImpl(x, outer, n, inner, outs);
    expect(outs.map((o) => Array.from(o))).toEqual(unstackNaive(x, outer, n, inner));
  });
});
