import type { GemmOperand } from '../gemm/pack';
import { packColumns, packRows } from '../gemm/pack';
import { I32, V128, ensureBytes, instantiate, op, type WasmMemory } from './emit';

/**
 * Float32 GEMM with a WebAssembly SIMD micro-kernel (4×8 tile: 8 f32x4 accumulators).
 *
 * JS packs a KC-deep block of A in groups of MR rows ([i/MR][p][MR]) and the matching panel of B as
 * column-octets ([j/8][p][8]) into the module's memory (gemm/pack.ts, the JS kernel's packers), zero-padded to whole tiles; the kernel
 * accumulates each 4×8 tile of a padded C in that memory; JS copies the valid part of C out.
 * NOTE: products are accumulated in float32 (as PyTorch and TensorFlow.js do); the float64
 * path of the engine stays in plain JS with double accumulation.
 */

/**
 * Rows of the register tile (MR × 8 columns: 2·MR f32x4 accumulators + 3 work registers).
 * Measured on x64 (V8): MR = 4 gives ~40 GFLOP/s at n = 1024; MR = 5 or 6 drop to 24–29
 * (register spills), so keep 4.
 */
const MR = 4;

// Kernel parameters: kc, aPtr, bPtr, cPtr, ldcBytes. Locals: 2·MR accumulators, then b0, b1, av.
function microKernel(): number[] {
  const [KC, A, B, C, LDC] = [0, 1, 2, 3, 4];
  const acc = (i: number): number => 5 + i;
  const [B0, B1, AV] = [5 + 2 * MR, 6 + 2 * MR, 7 + 2 * MR];
  const body: number[] = [];
  body.push(...op.loop);
  body.push(...op.localGet(B), ...op.v128Load(0), ...op.localSet(B0));
  body.push(...op.localGet(B), ...op.v128Load(16), ...op.localSet(B1));
  for (let r = 0; r < MR; r++) {
    body.push(...op.localGet(A), ...op.v128Load32Splat(4 * r), ...op.localSet(AV));
    for (let h = 0; h < 2; h++) {
      const a = acc(2 * r + h);
      body.push(
        ...op.localGet(a),
        ...op.localGet(AV),
        ...op.localGet(h === 0 ? B0 : B1),
        ...op.f32x4Mul,
        ...op.f32x4Add,
        ...op.localSet(a),
      );
    }
  }
  body.push(...op.localGet(A), ...op.i32Const(4 * MR), ...op.i32Add, ...op.localSet(A));
  body.push(...op.localGet(B), ...op.i32Const(32), ...op.i32Add, ...op.localSet(B));
  body.push(...op.localGet(KC), ...op.i32Const(1), ...op.i32Sub, ...op.localTee(KC), ...op.brIf(0));
  body.push(...op.end);
  for (let r = 0; r < MR; r++) {
    for (let h = 0; h < 2; h++) {
      body.push(
        ...op.localGet(C),
        ...op.localGet(C),
        ...op.v128Load(16 * h),
        ...op.localGet(acc(2 * r + h)),
        ...op.f32x4Add,
        ...op.v128Store(16 * h),
      );
    }
    body.push(...op.localGet(C), ...op.localGet(LDC), ...op.i32Add, ...op.localSet(C));
  }
  return body;
}

interface Instance {
  memory: WasmMemory;
  kernel: (kc: number, a: number, b: number, c: number, ldc: number) => void;
}

let instance: Instance | null | undefined;

/** The compiled kernel, or null where WebAssembly SIMD is unavailable (the JS kernel is used then). */
function getInstance(): Instance | null {
  if (instance !== undefined) return instance;
  const e = instantiate(
    [{ name: 'k4x8', params: [I32, I32, I32, I32, I32], locals: [[2 * MR + 3, V128]], body: microKernel() }],
    1,
  );
  instance = e === null ? null : { memory: e.mem as WasmMemory, kernel: e.k4x8 as Instance['kernel'] };
  return instance;
}

export function simdGemmAvailable(): boolean {
  return getInstance() !== null;
}

const KC = 256;
const MC = MR * Math.floor(64 / MR);

/**
 * C[m×n] (row-major at c[cOff + i·n + j]) = A·B (or += when accumulate), float32 operands.
 * Returns false (doing nothing) when WebAssembly SIMD is unavailable.
 */
export function gemmF32Simd(
  m: number,
  n: number,
  k: number,
  A: GemmOperand,
  B: GemmOperand,
  c: Float32Array,
  cOff: number,
  accumulate: boolean,
): boolean {
  const inst = getInstance();
  if (inst === null) return false;
  const mPad = Math.ceil(m / MR) * MR;
  const nPad = (n + 7) & ~7;
  const kc0 = Math.min(KC, k);
  const cBytes = mPad * nPad * 4;
  const aBytes = mPad * kc0 * 4;
  const bBytes = kc0 * nPad * 4;
  // NOTE: a 32-bit memory tops out at 4 GiB (less if the host refuses): the JS kernel takes over.
  if (!ensureBytes(inst.memory, cBytes + aBytes + bBytes)) return false;
  const buf = inst.memory.buffer;
  const cPtr = 0;
  const aPtr = cBytes;
  const bPtr = cBytes + aBytes;
  const cv = new Float32Array(buf, cPtr, mPad * nPad);
  const av = new Float32Array(buf, aPtr, mPad * kc0);
  const bv = new Float32Array(buf, bPtr, kc0 * nPad);
  cv.fill(0);
  const kernel = inst.kernel;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = Math.min(KC, k - pc);
    packRows(A, 0, m, pc, kc, MR, av);
    packColumns(B, pc, kc, 0, n, 8, bv);
    for (let ic = 0; ic < mPad; ic += MC) {
      const icEnd = Math.min(mPad, ic + MC);
      for (let jr = 0; jr < nPad; jr += 8) {
        const bp = bPtr + jr * kc * 4;
        for (let ir = ic; ir < icEnd; ir += MR)
          kernel(kc, aPtr + ir * kc * 4, bp, cPtr + (ir * nPad + jr) * 4, nPad * 4);
      }
    }
  }
  // Copy the valid part of C out (bulk copies: TypedArray.set is a memcpy).
  if (accumulate) {
    for (let i = 0; i < m; i++) {
      const src = i * nPad;
      const dst = cOff + i * n;
      for (let j = 0; j < n; j++) c[dst + j] += cv[src + j];
    }
  } else if (nPad === n) {
    c.set(cv.subarray(0, m * n), cOff);
  } else {
    for (let i = 0; i < m; i++) c.set(cv.subarray(i * nPad, i * nPad + n), cOff + i * n);
  }
  return true;
}
