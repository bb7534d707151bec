import type { Floats } from './convInfo';

/**
 * Deterministic uniform numbers in [-1, 1) for kernel-vs-twin tests (a 32-bit LCG; the engine's
 * real RNG lives in the tensor layer). Not used outside tests.
 */
export function fillUniform<T extends Floats>(a: T, seed: number): T {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2147483648 - 1;
  }
  return a;
}

export function maxAbsDiff(a: Floats, b: Floats): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
