import { describe, it, expect } from 'vitest';
import { Rng, RNG_STATE_SIZE } from './rng';

/** An independent BigInt implementation of the documented algorithm (SplitMix32 seeding + xoshiro128**). */
function referenceStream(seed: number, n: number): number[] {
  const M = 0xffffffffn;
  let sm = BigInt(seed >>> 0);
  const mix = (): bigint => {
    sm = (sm + 0x9e3779b9n) & M;
    let z = sm;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M;
    return (z ^ (z >> 16n)) & M;
  };
  const s = [mix(), mix(), mix(), mix()];
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(Number((rotl((s[1] * 5n) & M, 7n) * 9n) & M));
    const t = (s[1] << 9n) & M;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
  }
  return out;
}

describe('Rng (xoshiro128** seeded by SplitMix32)', () => {
  it('matches an independent implementation of the documented algorithm', () => {
    for (const seed of [0, 1, 42, 123456789, 4294967295]) {
      const r = new Rng(seed);
      expect(Array.from({ length: 50 }, () => r.nextUint32())).toEqual(referenceStream(seed, 50));
    }
  });

  it('same seed → same numbers; different seeds differ', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    const c = new Rng(6);
    const xa = Array.from({ length: 20 }, () => a.normal());
    expect(Array.from({ length: 20 }, () => b.normal())).toEqual(xa);
    expect(Array.from({ length: 20 }, () => c.normal())).not.toEqual(xa);
  });

  it('uniform in [0,1) and normals have the right moments', () => {
    const r = new Rng(3);
    let s = 0;
    let s2 = 0;
    let lo = 1;
    let hi = 0;
    const n = 200000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });

  it('int, shuffle, state save/restore', () => {
    const r = new Rng(9);
    const counts = new Array<number>(3).fill(0);
    for (let i = 0; i < 3000; i++) counts[r.int(3)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    const p = r.permutation(10);
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    const st = r.getState();
    const x = [r.next(), r.normal(), r.normal()];
    r.setState(st);
    expect([r.next(), r.normal(), r.normal()]).toEqual(x);
    expect(() => new Rng(NaN)).toThrow(/finite/);
  });

  it('saves and loads its state into a Float64Array, the spare normal included', () => {
    const r = new Rng(11);
    r.normal(); // a spare is pending
    const saved = new Float64Array(2 * RNG_STATE_SIZE);
    r.saveState(saved, RNG_STATE_SIZE);
    const x = [r.normal(), r.next(), r.nextUint32()];
    const other = new Rng(0);
    other.loadState(saved, RNG_STATE_SIZE);
    expect([other.normal(), other.next(), other.nextUint32()]).toEqual(x);
    // Without a spare: NaN stands for none.
    other.saveState(saved);
    expect(saved[4]).toBeNaN();
    r.loadState(saved);
    expect([r.normal(), r.next()]).toEqual([other.normal(), other.next()]);
  });
});
