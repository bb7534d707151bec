// `node --import tsx scripts/elementwiseExhaustive.ts [tanh|exp|sigmoid ...]`: the proof behind the
// float32 tanh, exp and sigmoid in WebAssembly SIMD (kernels/wasm/elementwiseF32Simd.ts): on every
// one of the 2³² float32 inputs they give the JS kernel's bits (any NaN for a NaN). About 7 minutes
// a function, so it is a command, not a unit test; the unit test checks every 256th bit pattern and
// the ranges where the functions saturate, overflow or underflow. Exits 1 on the first mismatches.
import type { CheckedOp } from '../src/engine/kernels/wasm/elementwiseF32Simd';
import { simdMismatches } from '../src/engine/kernels/wasm/elementwiseF32Simd.test-support';

const ALL: CheckedOp[] = ['tanh', 'exp', 'sigmoid'];

const wanted = process.argv.slice(2) as CheckedOp[];
const unknown = wanted.filter((f) => !ALL.includes(f));
if (unknown.length > 0) {
  console.error(`Unknown function(s): ${unknown.join(', ')}. Known: ${ALL.join(', ')}.`);
  process.exit(2);
}
let failed = false;
for (const fn of wanted.length > 0 ? wanted : ALL) {
  const bad = simdMismatches(
    fn,
    2 ** 32,
    (i) => i >>> 0,
    (done) => {
      if (done % 2 ** 29 === 0) console.log(`${fn}: ${(done / 2 ** 32) * 100}% of the float32s`);
    },
  );
  console.log(bad.length === 0 ? `${fn}: every float32 gives the JS kernel's bits` : `${fn}: ${bad.join('; ')}`);
  failed ||= bad.length > 0;
}
process.exit(failed ? 1 : 0);
