import type { Conv2dInfo } from '../convInfo';
import { I32, V128, countDown, ensureBytes, instantiateKernels, op, type WasmMemory } from './emit';

/**
 * Float32 max pooling over 2×2 windows with stride 2 (the course's `MaxPool2d(2)`), forward and
 * backward, four windows at a time in WebAssembly SIMD. The winner is chosen as the JS kernels of
 * MaxPool2d.ts choose it — taps in row-major order, a tap replaces the best so far when it is
 * greater, or when it is NaN and the best is not (ties to the first, the first NaN wins), and a
 * window of −∞ only has no winner — with lane masks and bitselect instead of branches. The
 * forward value is the winner's (a selection, no arithmetic); the backward pass writes 0 + dy at
 * the winner (the JS kernel's addition into a zeroed dx: windows do not overlap at stride 2) and
 * zero elsewhere. So both give the JS kernels' numbers bit for bit; MaxPool2d.test.ts compares them.
 */

// Byte lanes of i8x16.shuffle: the even and odd floats of a‖b, and the interleaving of two vectors.
const f = (...floats: number[]): number[] => floats.flatMap((i) => [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3]);
const EVEN = f(0, 2, 4, 6);
const ODD = f(1, 3, 5, 7);
const LO = f(0, 4, 1, 5);
const HI = f(2, 6, 3, 7);

// Parameters: x, dy (backward), dst (out forward, dx backward), planes, oH, row blocks of 4
// windows, oW − 4, bytes of an input row, of an input plane, of an output plane, address of −∞,
// bytes of an output row.
const [X, DY, DST, P, OH, NB, OWM4, W4, PX, PO, NINF, ROWO] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const [XP, OP, DP, OHC, RA, RO, RD, J, CNT, XA, OA, DA] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
const [A0, A1, T0, T1, T2, T3, BEST, M1, M2, M3, V] = [24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34];
const I32_LOCALS = 12;
const V128_LOCALS = 11;

const get = op.localGet;
const set = op.localSet;
const addTo = (l: number, by: number): number[] => [...get(l), ...get(by), ...op.i32Add, ...set(l)];

/** The two input rows of four windows (at XA) as taps T0..T3, then BEST and the masks M1..M3. */
function winners(): number[] {
  const b: number[] = [];
  for (const [row, even, odd] of [
    [0, T0, T1],
    [1, T2, T3],
  ]) {
    const addr = row === 0 ? get(XA) : [...get(XA), ...get(W4), ...op.i32Add];
    b.push(...addr, ...op.v128Load(0), ...set(A0), ...addr, ...op.v128Load(16), ...set(A1));
    b.push(...get(A0), ...get(A1), ...op.i8x16Shuffle(EVEN), ...set(even));
    b.push(...get(A0), ...get(A1), ...op.i8x16Shuffle(ODD), ...set(odd));
  }
  b.push(...get(T0), ...set(BEST));
  for (const [t, m] of [
    [T1, M1],
    [T2, M2],
    [T3, M3],
  ]) {
    // m = t > best OR (t is NaN AND best is not)
    b.push(...get(t), ...get(BEST), ...op.f32x4Gt);
    b.push(...get(t), ...get(t), ...op.f32x4Ne, ...get(BEST), ...get(BEST), ...op.f32x4Eq, ...op.v128And);
    b.push(...op.v128Or, ...set(m));
    b.push(...get(t), ...get(BEST), ...get(m), ...op.v128Bitselect, ...set(BEST));
  }
  return b;
}

/** Backward: V = (0 + dy) where the window has a winner, scattered to the winning tap of each window. */
function scatter(): number[] {
  const b: number[] = [];
  b.push(...op.v128Zero, ...get(OA), ...op.v128Load(0), ...op.f32x4Add);
  b.push(...get(BEST), ...get(NINF), ...op.v128Load32Splat(0), ...op.f32x4Ne, ...op.v128And, ...set(V));
  // Tap j wins when its mask is set and no later tap's is; tap 0 when none is.
  const tap = [
    [...get(M1), ...get(M2), ...op.v128Or, ...get(M3), ...op.v128Or, ...op.v128Not],
    [...get(M1), ...get(M2), ...get(M3), ...op.v128Or, ...op.v128AndNot],
    [...get(M2), ...get(M3), ...op.v128AndNot],
    [...get(M3)],
  ].map((mask) => [...get(V), ...mask, ...op.v128And]);
  for (const [row, a, c] of [
    [0, tap[0], tap[1]],
    [1, tap[2], tap[3]],
  ] as const) {
    const addr = row === 0 ? get(DA) : [...get(DA), ...get(W4), ...op.i32Add];
    b.push(...addr, ...a, ...c, ...op.i8x16Shuffle(LO), ...op.v128Store(0));
    b.push(...addr, ...a, ...c, ...op.i8x16Shuffle(HI), ...op.v128Store(16));
  }
  return b;
}

function body(backward: boolean): number[] {
  const b: number[] = [];
  b.push(...get(X), ...set(XP), ...get(backward ? DY : DST), ...set(OP), ...get(DST), ...set(DP));
  b.push(...op.loop); // planes
  b.push(...get(XP), ...set(RA), ...get(OP), ...set(RO), ...get(DP), ...set(RD), ...get(OH), ...set(OHC));
  b.push(...op.loop); // output rows
  b.push(...op.i32Const(0), ...set(J), ...get(NB), ...set(CNT));
  b.push(...op.loop); // blocks of 4 windows; the last starts at oW − 4 (it may redo some, identically)
  b.push(...get(J), ...get(OWM4), ...get(J), ...get(OWM4), ...op.i32LtS, ...op.select);
  b.push(...op.localTee(XA)); // window index s, kept in XA for a moment
  b.push(...op.i32Const(2), ...op.i32Shl, ...get(RO), ...op.i32Add, ...set(OA));
  b.push(...get(XA), ...op.i32Const(3), ...op.i32Shl, ...get(RD), ...op.i32Add, ...set(DA));
  b.push(...get(XA), ...op.i32Const(3), ...op.i32Shl, ...get(RA), ...op.i32Add, ...set(XA));
  b.push(...winners());
  if (backward) b.push(...scatter());
  else b.push(...get(OA), ...get(BEST), ...op.v128Store(0));
  b.push(...get(J), ...op.i32Const(4), ...op.i32Add, ...set(J));
  b.push(...countDown(CNT), ...op.end);
  b.push(...addTo(RA, W4), ...addTo(RA, W4), ...addTo(RO, ROWO), ...addTo(RD, W4), ...addTo(RD, W4));
  b.push(...countDown(OHC), ...op.end);
  b.push(...addTo(XP, PX), ...addTo(OP, PO), ...addTo(DP, backward ? PX : PO));
  b.push(...countDown(P), ...op.end);
  return b;
}

type Kernel = (...args: number[]) => void;

interface Instance {
  memory: WasmMemory;
  forward: Kernel;
  backward: Kernel;
}

let instance: Instance | null | undefined;

function getInstance(): Instance | null {
  if (instance !== undefined) return instance;
  const params = new Array<number>(12).fill(I32);
  const locals: [number, number][] = [
    [I32_LOCALS, I32],
    [V128_LOCALS, V128],
  ];
  instance = instantiateKernels<Instance>(
    [
      { name: 'forward', params, locals, body: body(false) },
      { name: 'backward', params, locals, body: body(true) },
    ],
    1,
  );
  return instance;
}

/** Compiles the kernels now (they are otherwise compiled at first use); false without WebAssembly SIMD. */
export function simdMaxPoolAvailable(): boolean {
  return getInstance() !== null;
}

/** 2×2 windows, stride 2, no padding or dilation, at least 4 windows a row: what these kernels cover. */
function covers(info: Conv2dInfo): boolean {
  return (
    info.kernelHeight === 2 &&
    info.kernelWidth === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.padHeight === 0 &&
    info.padWidth === 0 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.outWidth >= 4 &&
    info.outHeight >= 1
  );
}

/** Input floats per chunk of planes: bounds the module's memory (4 MiB of input) for big batches. */
const CHUNK = 1 << 20;

function run(backward: boolean, x: Float32Array, dy: Float32Array | null, info: Conv2dInfo, dst: Float32Array) {
  const { inHeight: H, inWidth: W, outHeight: oH, outWidth: oW } = info;
  const planes = info.batch * info.inChannels;
  if (planes === 0 || !covers(info)) return false;
  const inst = getInstance();
  if (inst === null) return false;
  const xPlane = H * W;
  const oPlane = oH * oW;
  const chunk = Math.max(1, Math.min(planes, Math.floor(CHUNK / xPlane)));
  const xLen = chunk * xPlane;
  const oLen = chunk * oPlane;
  const xAt = 16;
  const dyAt = xAt + ((xLen + 3) & ~3) * 4;
  const dstAt = dyAt + (backward ? ((oLen + 3) & ~3) * 4 : 0);
  if (!ensureBytes(inst.memory, dstAt + (backward ? xLen : oLen) * 4 + 16)) return false;
  const buf = inst.memory.buffer;
  new Float32Array(buf, 0, 1)[0] = -Infinity;
  const xv = new Float32Array(buf, xAt, xLen);
  const dyv = new Float32Array(buf, dyAt, backward ? oLen : 0);
  for (let p0 = 0; p0 < planes; p0 += chunk) {
    const n = Math.min(chunk, planes - p0);
    xv.set(x.subarray(p0 * xPlane, (p0 + n) * xPlane));
    const dstLen = n * (backward ? xPlane : oPlane);
    const out = new Float32Array(buf, dstAt, dstLen);
    if (backward && dy) {
      dyv.set(dy.subarray(p0 * oPlane, (p0 + n) * oPlane));
      out.fill(0);
    }
    (backward ? inst.backward : inst.forward)(
      xAt,
      dyAt,
      dstAt,
      n,
      oH,
      Math.ceil(oW / 4),
      oW - 4,
      W * 4,
      xPlane * 4,
      oPlane * 4,
      0,
      oW * 4,
    );
    dst.set(out, p0 * (backward ? xPlane : oPlane));
  }
  return true;
}

/** out = max pooling of x (2×2, stride 2); false (nothing done) where not covered or without SIMD. */
export function maxPool2x2F32Simd(x: Float32Array, info: Conv2dInfo, out: Float32Array): boolean {
  return run(false, x, null, info, out);
}

/** dx = the gradient of that max pooling for output gradient dy (overwritten); false as above. */
export function maxPool2x2BackwardF32Simd(
  dy: Float32Array,
  x: Float32Array,
  info: Conv2dInfo,
  dx: Float32Array,
): boolean {
  return run(true, x, dy, info, dx);
}
