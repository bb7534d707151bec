/**
 * The engine's seeded random number generator.
 *
 * Algorithm: xoshiro128** 1.1 (Blackman & Vigna, 2018), 32-bit words, period 2^128 − 1.
 * Seeding: the 4 state words are the first 4 outputs of SplitMix32 started at the seed
 * (state += 0x9E3779B9; z = state; z = (z ^ z>>>16)·0x85EBCA6B; z = (z ^ z>>>13)·0xC2B2AE35;
 * z ^= z>>>16), so any 32-bit seed gives a non-zero state.
 * Uniform doubles in [0, 1): 53 random bits from two outputs, (a>>>5)·2^26 + (b>>>6), divided by 2^53.
 * Normals: Box–Muller (basic form) on two uniforms u1 ∈ (0, 1], u2 ∈ [0, 1):
 *   r = √(−2 ln u1), z0 = r·cos(2π u2), z1 = r·sin(2π u2); z0 is returned first, z1 next.
 * Only 32-bit integer arithmetic (Math.imul, >>>) and IEEE doubles are used, so the same seed
 * gives the same numbers on every machine and JS engine (Math.cos/sin/log may differ in the
 * last ulp across engines; V8 everywhere uses the same fdlibm port).
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  constructor(seed: number) {
    this.seed(seed);
  }

  /** Resets the generator to the state given by `seed` (any finite number; truncated to 32 bits). */
  seed(seed: number): void {
    if (!Number.isFinite(seed)) throw new Error(`RNG seed must be a finite number, got ${seed}.`);
    let sm = Math.trunc(seed) >>> 0;
    const next = (): number => {
      sm = (sm + 0x9e3779b9) >>> 0;
      let z = sm;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spare = null;
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A uniform double in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** A standard normal sample (Box–Muller, see the class comment). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    const u1 = 1 - this.next(); // (0, 1]: log(0) never happens
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return mean + std * r * Math.cos(2 * Math.PI * u2);
  }

  /** A uniform integer in [0, n) without modulo bias (rejection sampling). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32)
      throw new Error(`Rng.int needs an integer 1 ≤ n ≤ 2^32, got ${n}.`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** An independent generator derived from this one (for a sub-task such as dropout). */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }

  /** The full state, to save and restore a run exactly. */
  getState(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  setState(state: RngState): void {
    [this.s0, this.s1, this.s2, this.s3] = state.s.map((v) => v >>> 0) as [number, number, number, number];
    this.spare = state.spare;
  }

  /**
   * The full state written into `out` from `at` without allocating ({@link RNG_STATE_SIZE} numbers:
   * the four words, then the spare normal or NaN): the time-travel recorder keeps it every step.
   */
  saveState(out: Float64Array, at = 0): void {
    out[at] = this.s0 >>> 0;
    out[at + 1] = this.s1 >>> 0;
    out[at + 2] = this.s2 >>> 0;
    out[at + 3] = this.s3 >>> 0;
    out[at + 4] = this.spare ?? NaN;
  }

  /** Restores a state {@link saveState} wrote. */
  loadState(from: Float64Array, at = 0): void {
    this.s0 = from[at] >>> 0;
    this.s1 = from[at + 1] >>> 0;
    this.s2 = from[at + 2] >>> 0;
    this.s3 = from[at + 3] >>> 0;
    this.spare = Number.isNaN(from[at + 4]) ? null : from[at + 4];
  }
}

/** The numbers {@link Rng.saveState} writes. */
export const RNG_STATE_SIZE = 5;

export interface RngState {
  s: readonly number[];
  spare: number | null;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
