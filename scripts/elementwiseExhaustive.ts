// `node --import tsx scripts/elementwiseExhaustive.ts [tanh|exp|sigmoid ...]`: the proof behind the
// float32 tanh, exp and sigmoid in WebAssembly SIMD (kernels/wasm/elementwiseF32Simd.ts): on every
// one of the 2³² float32 inputs they give the JS kernel's bits (any NaN for a NaN). About 7 minutes
// a function, so it is a command, not a unit test; the unit test checks every 256th bit pattern and
// the ranges where the functions saturate, overflow or underflow. Exits 1 on the first mismatches.
import { unaryImpl } from '../src/engine/kernels/unaryImpl';
import { unaryCheckedF32Simd, type CheckedOp } from '../src/engine/kernels/wasm/elementwiseF32Simd';

const ALL: CheckedOp[] = ['tanh', 'exp', 'sigmoid'];
const CHUNK = 1 << 20;

function mismatches(fn: CheckedOp): string[] {
  const bits = new Uint32Array(CHUNK);
  const x = new Float32Array(bits.buffer);
  const want = new Float32Array(CHUNK);
  const got = new Float32Array(CHUNK);
  const wantBits = new Uint32Array(want.buffer);
  const gotBits = new Uint32Array(got.buffer);
  const bad: string[] = [];
  for (let s = 0; s < 2 ** 32 && bad.length < 5; s += CHUNK) {
    for (let i = 0; i < CHUNK; i++) bits[i] = (s + i) >>> 0;
    unaryImpl(fn, x, want, CHUNK);
    if (!unaryCheckedF32Simd(fn, x, got, CHUNK)) throw new Error('WebAssembly SIMD is not available here.');
    for (let i = 0; i < CHUNK && bad.length < 5; i++) {
      if (wantBits[i] !== gotBits[i] && !(Number.isNaN(want[i]) && Number.isNaN(got[i])))
        bad.push(`${fn}(${x[i]}) = ${want[i]}, SIMD ${got[i]}`);
    }
    if ((s / CHUNK) % 512 === 511) console.log(`${fn}: ${((s + CHUNK) / 2 ** 32) * 100}% of the float32s`);
  }
  return bad;
}

const wanted = process.argv.slice(2) as CheckedOp[];
const unknown = wanted.filter((f) => !ALL.includes(f));
if (unknown.length > 0) {
  console.error(`Unknown function(s): ${unknown.join(', ')}. Known: ${ALL.join(', ')}.`);
  process.exit(2);
}
let failed = false;
for (const fn of wanted.length > 0 ? wanted : ALL) {
  const bad = mismatches(fn);
  console.log(bad.length === 0 ? `${fn}: every float32 gives the JS kernel's bits` : `${fn}: ${bad.join('; ')}`);
  failed ||= bad.length > 0;
}
process.exit(failed ? 1 : 0);
