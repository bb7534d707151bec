import type { Conv2dInfo } from '../convInfo';
import { I32, V128, addIntoFunc, bump, countDown, ensureBytes, instantiateKernels, op, type WasmMemory } from './emit';

/**
 * Direct float32 convolutions with WebAssembly SIMD for stride 1 (any padding and dilation): the
 * forward pass, the filter gradient and the input gradient read the sample where it lies (copied
 * once into the module's memory) instead of unfolding it with im2col and packing the unfolded copy
 * for the gemm. Each output element is the same float32 sum, in the same order, as the im2col +
 * SIMD gemm path of Conv2d.ts, Conv2dBackpropFilter.ts and Conv2dBackpropInput.ts, which stays as
 * the twin the tests compare against bit for bit (and runs wherever these functions return false).
 *
 * The trick that makes a direct convolution vectorise: with stride 1, output (oh, ow) of a sample
 * read at "width Wp" (the padded input's) is q = oh·Wp + ow, and the input tap k = (c, ki, kj) it
 * needs is at q + off_k, off_k = c·Hp·Wp + ki·dH·Wp + kj·dW — one offset per tap for the whole
 * plane, so four consecutive q are one unaligned v128 load. The q with ow ≥ oW are computed and
 * dropped (Wp/oW more work: 8% on the conv net's first layer).
 */

/** The SIMD gemm's depth block (gemmF32Simd.ts): its sums over more than KC terms are split there. */
const KC = 256;

const get = op.localGet;
const set = op.localSet;
/** acc = acc + a·b, as the gemm's micro-kernel (`a` its A side, `b` its B side). */
const madd = (acc: number, a: number, b: number): number[] => [
  ...get(acc),
  ...get(a),
  ...get(b),
  ...op.f32x4Mul,
  ...op.f32x4Add,
  ...set(acc),
];

/**
 * fwd(x, w, offs, out, bias, K, nq, ldo): 4 filters × 8 positions per tile; for nq tiles along q:
 * acc = Σ_p w[f, p]·x[q + off_p] (p ascending from 0, as the gemm), then out = acc + bias[f].
 * w: [p][4] for this block of 4 filters; offs: K byte offsets; ldo: bytes between filters' rows of out.
 */
function fwdBody(): number[] {
  const [X, WP, OFFS, OUT, BIAS, K, NQ, LDO] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [P, W, OP, XA, O] = [8, 9, 10, 11, 12];
  const acc = (r: number, h: number): number => 13 + 2 * r + h;
  const [XV0, XV1, S] = [21, 22, 23];
  const b: number[] = [...op.loop];
  for (let i = 0; i < 8; i++) b.push(...op.v128Zero, ...set(13 + i));
  b.push(...get(K), ...set(P), ...get(WP), ...set(W), ...get(OFFS), ...set(OP));
  b.push(...op.loop);
  b.push(...get(X), ...get(OP), ...op.i32Load(0), ...op.i32Add, ...set(XA));
  b.push(...get(XA), ...op.v128Load(0), ...set(XV0), ...get(XA), ...op.v128Load(16), ...set(XV1));
  for (let r = 0; r < 4; r++) {
    b.push(...get(W), ...op.v128Load32Splat(4 * r), ...set(S));
    b.push(...madd(acc(r, 0), S, XV0), ...madd(acc(r, 1), S, XV1));
  }
  b.push(...bump(W, 16), ...bump(OP, 4), ...countDown(P), ...op.end);
  b.push(...get(OUT), ...set(O));
  for (let r = 0; r < 4; r++) {
    b.push(...get(BIAS), ...op.v128Load32Splat(4 * r), ...set(S));
    for (let h = 0; h < 2; h++)
      b.push(...get(O), ...get(acc(r, h)), ...get(S), ...op.f32x4Add, ...op.v128Store(16 * h));
    b.push(...get(O), ...get(LDO), ...op.i32Add, ...set(O));
  }
  b.push(...bump(X, 32), ...bump(OUT, 32), ...countDown(NQ), ...op.end);
  return b;
}

/**
 * fgrad(dyT, ldy, qtab, o0, o1, o2, o3, n, c, ldc): 8 filters × 4 taps per tile over n positions l:
 * acc = Σ_l dy[f, l]·x[o_j + q_l] (l ascending from 0, as the gemm), then c[j][f] += acc.
 * dyT: [l][f] (ldy bytes a row); qtab: byte offsets q_l; o_j: tap j's address in x.
 */
function fgradBody(): number[] {
  const [DY, LDY, QT, N, C, LDC] = [0, 1, 2, 7, 8, 9];
  const Oj = (j: number): number => 3 + j;
  const Q = 10;
  const acc = (j: number, h: number): number => 11 + 2 * j + h;
  const [D0, D1, S] = [19, 20, 21];
  const b: number[] = [];
  for (let i = 0; i < 8; i++) b.push(...op.v128Zero, ...set(11 + i));
  b.push(...op.loop);
  b.push(...get(QT), ...op.i32Load(0), ...set(Q), ...bump(QT, 4));
  b.push(...get(DY), ...op.v128Load(0), ...set(D0), ...get(DY), ...op.v128Load(16), ...set(D1));
  b.push(...get(DY), ...get(LDY), ...op.i32Add, ...set(DY));
  for (let j = 0; j < 4; j++) {
    b.push(...get(Oj(j)), ...get(Q), ...op.i32Add, ...op.v128Load32Splat(0), ...set(S));
    b.push(...madd(acc(j, 0), D0, S), ...madd(acc(j, 1), D1, S));
  }
  b.push(...countDown(N), ...op.end);
  for (let j = 0; j < 4; j++) {
    for (let h = 0; h < 2; h++)
      b.push(...get(C), ...get(C), ...op.v128Load(16 * h), ...get(acc(j, h)), ...op.f32x4Add, ...op.v128Store(16 * h));
    b.push(...get(C), ...get(LDC), ...op.i32Add, ...set(C));
  }
  return b;
}

/**
 * igrad(dy, fs, w, offs, nk, F, dst, np, dstc): 8 input positions p of two channels per tile,
 * for np tiles: dst_c[p] = Σ_k (Σ_f w[c][k][f]·dy_f[p − off_k]) (taps k ascending, filters f
 * ascending, each sum from 0: the gemm's cols = wᵀ·dy, then col2im's additions in its order).
 * dy: the zero-bordered planes of the output gradient at position p = 0 (fs bytes apart); w:
 * [k][f][2] for this pair of channels; dstc: bytes from the first channel's dst to the second's.
 * The two channels share every load of dy.
 */
function igradBody(): number[] {
  const [DY, FS, WK, OFFS, NK, F, DST, NP, DSTC] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [K, W, OP, B, FC] = [9, 10, 11, 12, 13];
  // Accumulators: DX[channel][half], T[channel][half]; then the splat and two dy vectors.
  const DX = (c: number, h: number): number => 14 + 2 * c + h;
  const T = (c: number, h: number): number => 18 + 2 * c + h;
  const [S, V0, V1] = [22, 23, 24];
  const b: number[] = [...op.loop];
  for (let i = 0; i < 4; i++) b.push(...op.v128Zero, ...set(14 + i));
  b.push(...get(NK), ...set(K), ...get(WK), ...set(W), ...get(OFFS), ...set(OP));
  b.push(...op.loop);
  b.push(...get(DY), ...get(OP), ...op.i32Load(0), ...op.i32Sub, ...set(B));
  for (let i = 0; i < 4; i++) b.push(...op.v128Zero, ...set(18 + i));
  b.push(...get(F), ...set(FC));
  b.push(...op.loop);
  b.push(...get(B), ...op.v128Load(0), ...set(V0), ...get(B), ...op.v128Load(16), ...set(V1));
  for (let c = 0; c < 2; c++) {
    b.push(...get(W), ...op.v128Load32Splat(4 * c), ...set(S));
    b.push(...madd(T(c, 0), S, V0), ...madd(T(c, 1), S, V1));
  }
  b.push(...bump(W, 8), ...get(B), ...get(FS), ...op.i32Add, ...set(B), ...countDown(FC), ...op.end);
  for (let c = 0; c < 2; c++)
    for (let h = 0; h < 2; h++) b.push(...get(DX(c, h)), ...get(T(c, h)), ...op.f32x4Add, ...set(DX(c, h)));
  b.push(...bump(OP, 4), ...countDown(K), ...op.end);
  b.push(...get(DST), ...get(DX(0, 0)), ...op.v128Store(0), ...get(DST), ...get(DX(0, 1)), ...op.v128Store(16));
  b.push(...get(DST), ...get(DSTC), ...op.i32Add, ...set(B));
  b.push(...get(B), ...get(DX(1, 0)), ...op.v128Store(0), ...get(B), ...get(DX(1, 1)), ...op.v128Store(16));
  b.push(...bump(DST, 32), ...bump(DY, 32), ...countDown(NP), ...op.end);
  return b;
}

/**
 * copy(src, dst, rows, cols, sc, dc, sr, dr): a strided 2-D copy of float32 values (sc, dc: bytes
 * between a row's elements; sr, dr: between rows), for the layouts the kernels above read and
 * write: dy transposed, outputs compacted from width Wp, dy spread to width Wp. Plain moves.
 */
function copyBody(): number[] {
  const [SRC, DST, ROWS, COLS, SC, DC, SR, DR] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [S, D, C] = [8, 9, 10];
  const addTo = (l: number, by: number): number[] => [...get(l), ...get(by), ...op.i32Add, ...set(l)];
  const b: number[] = [...op.loop, ...get(SRC), ...set(S), ...get(DST), ...set(D), ...get(COLS), ...set(C)];
  b.push(...op.loop, ...get(D), ...get(S), ...op.f32Load(0), ...op.f32Store(0));
  b.push(...addTo(S, SC), ...addTo(D, DC), ...countDown(C), ...op.end);
  b.push(...addTo(SRC, SR), ...addTo(DST, DR), ...countDown(ROWS), ...op.end);
  return b;
}

/**
 * compact(src, dst, rows, vecs, sr, dr): copies `rows` rows of `vecs` f32x4 vectors (sr, dr: bytes
 * between rows). A row whose length is not a whole number of vectors spills into the start of the
 * next, which the next row's copy then overwrites: rows are copied in order, dst needs 3 floats
 * of slack after the last.
 */
function compactBody(): number[] {
  const [SRC, DST, ROWS, VECS, SR, DR] = [0, 1, 2, 3, 4, 5];
  const [S, D, V] = [6, 7, 8];
  const addTo = (l: number, by: number): number[] => [...get(l), ...get(by), ...op.i32Add, ...set(l)];
  const b: number[] = [...op.loop, ...get(SRC), ...set(S), ...get(DST), ...set(D), ...get(VECS), ...set(V)];
  b.push(...op.loop, ...get(D), ...get(S), ...op.v128Load(0), ...op.v128Store(0));
  b.push(...bump(S, 16), ...bump(D, 16), ...countDown(V), ...op.end);
  b.push(...addTo(SRC, SR), ...addTo(DST, DR), ...countDown(ROWS), ...op.end);
  return b;
}

// Byte lanes of i8x16.shuffle picking the given floats of a‖b.
const lanes = (...floats: number[]): number[] => floats.flatMap((i) => [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3]);

/**
 * transpose(src, dst, fb, lb, last, rb, ldd): dst[l][f] = src[f][l] in 4×4 blocks (f32x4 loads,
 * eight shuffles, f32x4 stores), for fb blocks of 4 rows (rb bytes a row) and lb blocks of 4
 * columns; the last column block starts at column `last` = L − 4 (it may redo some, identically).
 */
function transposeBody(): number[] {
  const [SRC, DST, FB, LB, LAST, RB, LDD] = [0, 1, 2, 3, 4, 5, 6];
  const [J, CNT, S, D] = [7, 8, 9, 10];
  const R = (i: number): number => 11 + i;
  const U = (i: number): number => 15 + i;
  const b: number[] = [...op.loop, ...op.i32Const(0), ...set(J), ...get(LB), ...set(CNT)];
  b.push(...op.loop);
  b.push(...get(J), ...get(LAST), ...get(J), ...get(LAST), ...op.i32LtS, ...op.select, ...set(D));
  b.push(...get(D), ...op.i32Const(2), ...op.i32Shl, ...get(SRC), ...op.i32Add, ...set(S));
  b.push(...get(D), ...get(LDD), ...op.i32Mul, ...get(DST), ...op.i32Add, ...set(D));
  for (let i = 0; i < 4; i++) {
    b.push(...get(S), ...op.v128Load(0), ...set(R(i)));
    if (i < 3) b.push(...get(S), ...get(RB), ...op.i32Add, ...set(S));
  }
  const [LO, HI, C01, C23] = [lanes(0, 4, 1, 5), lanes(2, 6, 3, 7), lanes(0, 1, 4, 5), lanes(2, 3, 6, 7)];
  b.push(...get(R(0)), ...get(R(1)), ...op.i8x16Shuffle(LO), ...set(U(0)));
  b.push(...get(R(0)), ...get(R(1)), ...op.i8x16Shuffle(HI), ...set(U(1)));
  b.push(...get(R(2)), ...get(R(3)), ...op.i8x16Shuffle(LO), ...set(U(2)));
  b.push(...get(R(2)), ...get(R(3)), ...op.i8x16Shuffle(HI), ...set(U(3)));
  for (const [a, c, pick] of [
    [U(0), U(2), C01],
    [U(0), U(2), C23],
    [U(1), U(3), C01],
    [U(1), U(3), C23],
  ] as const) {
    b.push(...get(D), ...get(a), ...get(c), ...op.i8x16Shuffle(pick), ...op.v128Store(0));
    b.push(...get(D), ...get(LDD), ...op.i32Add, ...set(D));
  }
  b.push(...bump(J, 4), ...countDown(CNT), ...op.end);
  b.push(...get(SRC), ...get(RB), ...get(RB), ...op.i32Add, ...op.i32Const(1), ...op.i32Shl, ...op.i32Add, ...set(SRC));
  b.push(...bump(DST, 16), ...countDown(FB), ...op.end);
  return b;
}

interface Instance {
  memory: WasmMemory;
  copy: (src: number, dst: number, rows: number, cols: number, sc: number, dc: number, sr: number, dr: number) => void;
  addInto: (dst: number, src: number, n4: number) => void;
  compact: (src: number, dst: number, rows: number, vecs: number, sr: number, dr: number) => void;
  transpose: (src: number, dst: number, fb: number, lb: number, last: number, rb: number, ldd: number) => void;
  fwd: (x: number, w: number, offs: number, out: number, bias: number, k: number, nq: number, ldo: number) => void;
  fgrad: (
    dyT: number,
    ldy: number,
    qtab: number,
    o0: number,
    o1: number,
    o2: number,
    o3: number,
    n: number,
    c: number,
    ldc: number,
  ) => void;
  igrad: (
    dy: number,
    fs: number,
    w: number,
    offs: number,
    nk: number,
    f: number,
    dst: number,
    np: number,
    dstc: number,
  ) => void;
}

let instance: Instance | null | undefined;

function getInstance(): Instance | null {
  if (instance !== undefined) return instance;
  instance = instantiateKernels<Instance>(
    [
      {
        name: 'fwd',
        params: new Array<number>(8).fill(I32),
        locals: [
          [5, I32],
          [11, V128],
        ],
        body: fwdBody(),
      },
      {
        name: 'fgrad',
        params: new Array<number>(10).fill(I32),
        locals: [
          [1, I32],
          [11, V128],
        ],
        body: fgradBody(),
      },
      {
        name: 'igrad',
        params: new Array<number>(9).fill(I32),
        locals: [
          [5, I32],
          [11, V128],
        ],
        body: igradBody(),
      },
      { name: 'copy', params: new Array<number>(8).fill(I32), locals: [[3, I32]], body: copyBody() },
      addIntoFunc('addInto'),
      { name: 'compact', params: new Array<number>(6).fill(I32), locals: [[3, I32]], body: compactBody() },
      {
        name: 'transpose',
        params: new Array<number>(7).fill(I32),
        locals: [
          [4, I32],
          [8, V128],
        ],
        body: transposeBody(),
      },
    ],
    1,
  );
  return instance;
}

/** Compiles the kernels now (they are otherwise compiled at first use); false without WebAssembly SIMD. */
export function simdConvAvailable(): boolean {
  return getInstance() !== null;
}

/** Byte offsets of consecutive regions of the given float counts, each 16-byte aligned; [offsets, total]. */
function regions(...floats: number[]): [number[], number] {
  const at: number[] = [];
  let end = 0;
  for (const n of floats) {
    at.push(end);
    end += ((n + 3) & ~3) * 4;
  }
  return [at, end];
}

/** The padded input's geometry and the taps' offsets in it (floats), for stride-1 convolutions. */
function geometry(info: Conv2dInfo) {
  const { inChannels: C, inHeight: H, inWidth: W, padHeight: pH, padWidth: pW } = info;
  const { kernelHeight: kH, kernelWidth: kW, dilationHeight: dH, dilationWidth: dW } = info;
  const Hp = H + 2 * pH;
  const Wp = W + 2 * pW;
  const taps: number[] = [];
  for (let c = 0; c < C; c++)
    for (let ki = 0; ki < kH; ki++) for (let kj = 0; kj < kW; kj++) taps.push(c * Hp * Wp + ki * dH * Wp + kj * dW);
  return { Hp, Wp, plane: Hp * Wp, taps };
}

function stride1(info: Conv2dInfo): boolean {
  return info.strideHeight === 1 && info.strideWidth === 1;
}

/** Copies sample n of x [N, C, H, W] into `dst` laid out [C, Hp, Wp] (the border stays as it is: zero). */
function copyPadded(x: Float32Array, n: number, info: Conv2dInfo, Hp: number, Wp: number, dst: Float32Array): void {
  const { inChannels: C, inHeight: H, inWidth: W, padHeight: pH, padWidth: pW } = info;
  const len = C * H * W;
  if (pH === 0 && pW === 0) {
    dst.set(x.subarray(n * len, (n + 1) * len));
    return;
  }
  for (let c = 0; c < C; c++)
    for (let h = 0; h < H; h++) {
      const s = n * len + (c * H + h) * W;
      dst.set(x.subarray(s, s + W), (c * Hp + pH + h) * Wp + pW);
    }
}

/**
 * Conv2d forward for samples [n0, n1): out[n] = weight ⋆ x[n] + bias, exactly the im2col + gemm
 * path's numbers. False (nothing done) unless stride is 1, C·kH·kW ≤ 256 (one gemm depth block)
 * and WebAssembly SIMD is available.
 */
export function conv2dF32Simd(
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array | null,
  info: Conv2dInfo,
  out: Float32Array,
  n0: number,
  n1: number,
): boolean {
  const { inChannels: C, outChannels: F, kernelHeight: kH, kernelWidth: kW, outHeight: oH, outWidth: oW } = info;
  const K = C * kH * kW;
  if (!stride1(info) || K > KC || oH * oW === 0) return false;
  const inst = getInstance();
  if (inst === null) return false;
  const { Hp, Wp, plane, taps } = geometry(info);
  const Fp = (F + 3) & ~3;
  const nq = Math.ceil(((oH - 1) * Wp + oW) / 8);
  const ldo = nq * 8;
  // The last tile reads up to nq·8 − 1 + the largest tap offset: the padded input plus slack.
  const xFloats = Math.max(C * plane, ldo + taps[K - 1]);
  const L = oH * oW;
  const [[wAt, bAt, offAt, xAt, outAt, denseAt], bytes] = regions(Fp * K, Fp, K, xFloats, Fp * ldo, F * L + 4);
  if (!ensureBytes(inst.memory, bytes)) return false;
  const buf = inst.memory.buffer;
  const wv = new Float32Array(buf, wAt, Fp * K);
  for (let fb = 0; fb < Fp; fb += 4)
    for (let p = 0; p < K; p++)
      for (let r = 0; r < 4; r++) wv[fb * K + p * 4 + r] = fb + r < F ? weight[(fb + r) * K + p] : 0;
  const bv = new Float32Array(buf, bAt, Fp).fill(0);
  if (bias) bv.set(bias.subarray(0, F));
  new Int32Array(buf, offAt, K).set(taps.map((t) => t * 4));
  const xv = new Float32Array(buf, xAt, xFloats).fill(0);
  const dense = new Float32Array(buf, denseAt, F * L);
  for (let n = n0; n < n1; n++) {
    copyPadded(x, n, info, Hp, Wp, xv);
    for (let fb = 0; fb < Fp; fb += 4)
      inst.fwd(xAt, wAt + fb * K * 4, offAt, outAt + fb * ldo * 4, bAt + fb * 4, K, nq, ldo * 4);
    for (let f = 0; f < F; f++)
      inst.compact(outAt + f * ldo * 4, denseAt + f * L * 4, oH, (oW + 3) >> 2, Wp * 4, oW * 4);
    out.set(dense, n * F * L);
  }
  return true;
}

/**
 * Conv2d filter gradient: dw = Σ_n dy[n] ⋆ x[n] (overwritten), exactly the im2col + gemm path's
 * numbers (per sample, sums over the output positions in blocks of 256 as the gemm splits them,
 * then added over the batch). False (nothing done) unless stride is 1 and WebAssembly SIMD is
 * available.
 */
export function conv2dBackpropFilterF32Simd(
  x: Float32Array,
  dy: Float32Array,
  info: Conv2dInfo,
  dw: Float32Array,
): boolean {
  const { inChannels: C, outChannels: F, kernelHeight: kH, kernelWidth: kW, outHeight: oH, outWidth: oW } = info;
  const K = C * kH * kW;
  const L = oH * oW;
  if (!stride1(info) || L === 0) return false;
  const inst = getInstance();
  if (inst === null) return false;
  const { Hp, Wp, plane, taps } = geometry(info);
  const Fp = (F + 7) & ~7;
  const Kp = (K + 3) & ~3;
  const Fq = (F + 3) & ~3;
  const [[qAt, rawAt, dyAt, xAt, cAt, sumAt], bytes] = regions(L, Fq * L, L * Fp, C * plane, Kp * Fp, Kp * Fp);
  if (!ensureBytes(inst.memory, bytes)) return false;
  const buf = inst.memory.buffer;
  const qv = new Int32Array(buf, qAt, L);
  for (let oh = 0, l = 0; oh < oH; oh++) for (let ow = 0; ow < oW; ow++) qv[l++] = (oh * Wp + ow) * 4;
  new Float32Array(buf, dyAt, L * Fp).fill(0); // the padding filters' rows stay zero
  const xv = new Float32Array(buf, xAt, C * plane).fill(0);
  const cv = new Float32Array(buf, cAt, Kp * Fp);
  const sum = new Float32Array(buf, sumAt, Kp * Fp).fill(0);
  const raw = new Float32Array(buf, rawAt, Fq * L).fill(0); // rows F to Fq stay zero
  // Tap addresses, padded to whole quads with tap 0 (its sums are computed and dropped).
  const tapAt = Array.from({ length: Kp }, (_, k) => xAt + (k < K ? taps[k] : 0) * 4);
  for (let n = 0; n < info.batch; n++) {
    copyPadded(x, n, info, Hp, Wp, xv);
    raw.set(dy.subarray(n * F * L, (n + 1) * F * L));
    // dy_n transposed: [l][f].
    if (L >= 4) inst.transpose(rawAt, dyAt, Fq / 4, (L + 3) >> 2, L - 4, L * 4, Fp * 4);
    else inst.copy(rawAt, dyAt, F, L, 4, Fp * 4, L * 4, 4);
    cv.fill(0);
    for (let l0 = 0; l0 < L; l0 += KC) {
      const len = Math.min(KC, L - l0);
      for (let fb = 0; fb < Fp; fb += 8)
        for (let kb = 0; kb < Kp; kb += 4)
          inst.fgrad(
            dyAt + (l0 * Fp + fb) * 4,
            Fp * 4,
            qAt + l0 * 4,
            tapAt[kb],
            tapAt[kb + 1],
            tapAt[kb + 2],
            tapAt[kb + 3],
            len,
            cAt + (kb * Fp + fb) * 4,
            Fp * 4,
          );
    }
    inst.addInto(sumAt, cAt, (Kp * Fp) / 4); // the samples' sums added in order, from 0
  }
  for (let f = 0; f < F; f++) for (let k = 0; k < K; k++) dw[f * K + k] = sum[k * Fp + f];
  return true;
}

/**
 * Conv2d input gradient for samples [n0, n1): dx[n] = the transposed convolution of dy[n] (dx
 * overwritten), exactly the gemm + col2im path's numbers. False (nothing done) unless stride is
 * 1, every weight is finite (the zero border of dy must contribute exact zeros) and WebAssembly
 * SIMD is available.
 */
export function conv2dBackpropInputF32Simd(
  dy: Float32Array,
  weight: Float32Array,
  info: Conv2dInfo,
  dx: Float32Array,
  n0: number,
  n1: number,
): boolean {
  const { inChannels: C, inHeight: H, inWidth: W, padHeight: pH, padWidth: pW, outChannels: F } = info;
  const {
    kernelHeight: kH,
    kernelWidth: kW,
    dilationHeight: dH,
    dilationWidth: dW,
    outHeight: oH,
    outWidth: oW,
  } = info;
  const kk = kH * kW;
  const K = C * kk;
  if (!stride1(info) || oH * oW === 0) return false;
  for (let i = 0; i < F * K; i++) if (!Number.isFinite(weight[i])) return false;
  const inst = getInstance();
  if (inst === null) return false;
  const Hp = H + 2 * pH;
  const Wp = W + 2 * pW;
  const np = Math.ceil((Hp * Wp) / 8);
  const margin = ((kH - 1) * dH * Wp + (kW - 1) * dW + 3) & ~3;
  // One plane of dy per filter: `margin` zeros, then the output gradient at width Wp, zeros after.
  const R = margin + np * 8 + 8;
  const L = oH * oW;
  // Channels in pairs (an odd count padded with a channel of zero weights, computed and dropped).
  const Cp = (C + 1) & ~1;
  const [[wAt, offAt, rawAt, dyAt, dstAt], bytes] = regions(Cp * kk * F, kk, F * L, F * R, Cp * np * 8);
  if (!ensureBytes(inst.memory, bytes)) return false;
  const buf = inst.memory.buffer;
  const wv = new Float32Array(buf, wAt, Cp * kk * F);
  for (let c = 0; c < Cp; c++)
    for (let t = 0; t < kk; t++)
      for (let f = 0; f < F; f++)
        wv[((((c >> 1) * kk + t) * F + f) << 1) | (c & 1)] = c < C ? weight[f * K + c * kk + t] : 0;
  const offs = new Int32Array(buf, offAt, kk);
  for (let ki = 0; ki < kH; ki++) for (let kj = 0; kj < kW; kj++) offs[ki * kW + kj] = (ki * dH * Wp + kj * dW) * 4;
  new Float32Array(buf, dyAt, F * R).fill(0);
  const dv = new Float32Array(buf, dstAt, C * np * 8);
  const raw = new Float32Array(buf, rawAt, F * L);
  for (let n = n0; n < n1; n++) {
    raw.set(dy.subarray(n * F * L, (n + 1) * F * L));
    // Each plane's rows to width Wp (the gaps and borders stay zero).
    for (let f = 0; f < F; f++) inst.copy(rawAt + f * L * 4, dyAt + (f * R + margin) * 4, oH, oW, 4, 4, oW * 4, Wp * 4);
    for (let c = 0; c < Cp; c += 2)
      inst.igrad(dyAt + margin * 4, R * 4, wAt + c * kk * F * 4, offAt, kk, F, dstAt + c * np * 32, np, np * 32);
    const base = n * C * H * W;
    if (pH === 0 && pW === 0) {
      for (let c = 0; c < C; c++) dx.set(dv.subarray(c * np * 8, c * np * 8 + H * W), base + c * H * W);
    } else {
      for (let c = 0; c < C; c++)
        for (let h = 0; h < H; h++) {
          const s = c * np * 8 + (h + pH) * Wp + pW;
          dx.set(dv.subarray(s, s + W), base + (c * H + h) * W);
        }
    }
  }
  return true;
}
