import { unaryImpl } from '../unaryImpl';
import { unaryCheckedF32Simd, type CheckedOp } from './elementwiseF32Simd';

const CHUNK = 1 << 20;

/**
 * Runs the SIMD `fn` and its JS twin on the float32s whose bit patterns `bitsAt(i)` gives, i <
 * count, and returns the first mismatches (at most 5; any NaN for a NaN: payloads are not
 * compared). `progress` is called after each chunk of 2²⁰ inputs with the count done. Used by the
 * unit test (a sample of the float32s) and by scripts/elementwiseExhaustive.ts (all of them).
 */
export function simdMismatches(
  fn: CheckedOp,
  count: number,
  bitsAt: (i: number) => number,
  progress?: (done: number) => void,
): string[] {
  const bits = new Uint32Array(CHUNK);
  const x = new Float32Array(bits.buffer);
  const want = new Float32Array(CHUNK);
  const got = new Float32Array(CHUNK);
  const wantBits = new Uint32Array(want.buffer);
  const gotBits = new Uint32Array(got.buffer);
  const bad: string[] = [];
  for (let s = 0; s < count && bad.length < 5; s += CHUNK) {
    const n = Math.min(CHUNK, count - s);
    for (let i = 0; i < n; i++) bits[i] = bitsAt(s + i);
    unaryImpl(fn, x, want, n);
    got.fill(7);
    if (!unaryCheckedF32Simd(fn, x, got, n)) throw new Error('WebAssembly SIMD is not available here.');
    for (let i = 0; i < n && bad.length < 5; i++) {
      if (wantBits[i] !== gotBits[i] && !(Number.isNaN(want[i]) && Number.isNaN(got[i]))) {
        bad.push(`${fn}(${x[i]}) = ${want[i]}, SIMD ${got[i]}`);
      }
    }
    progress?.(s + n);
  }
  return bad;
}
