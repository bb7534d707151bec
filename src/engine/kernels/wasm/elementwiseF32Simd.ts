import {
  I32,
  V128,
  bump,
  countDown,
  instantiateKernels,
  MemoryView,
  SpanViews,
  op as core,
  opF64x2,
  type WasmMemory,
} from './emit';

const op = { ...core, ...opF64x2 };

/**
 * Float32 elementwise kernels with WebAssembly SIMD that give exactly the JS kernels' bits.
 *
 * The JS kernels compute in float64 and round once, when the result is stored into the
 * Float32Array. The SIMD kernels do the same: two float32 lanes are widened to float64
 * (`f64x2.promote_low_f32x4`, exact), computed on, and rounded back (`f32x4.demote_f64x2_zero`,
 * round to nearest even, as a Float32Array store).
 *
 * - `tanhGrad` dy·(1 − y·y) and `sigmoidGrad` dy·y·(1 − y): the JS loops' float64 operations in the
 *   same order (JS never fuses a multiply-add), so the results are the same by construction.
 * - `tanh`: Math.tanh is not a WebAssembly instruction, so tanh is evaluated in float64 as
 *   em / (em + 2), em = e^(2|x|) − 1 (argument reduction by ln 2, Taylor series of e^r − 1 to
 *   degree 13 on |r| ≤ ln2/2, relative error ~1e-16 against Math.tanh's), with |x| capped at 10
 *   (fround(tanh) is ±1 from |x| ≈ 9.01 on) and x's sign put back. A float64 close to Math.tanh
 *   rounds to the same float32 unless Math.tanh lies near the midpoint between two float32s, so
 *   each lane is checked: y·(1 − 2⁻⁴⁰) and y·(1 + 2⁻⁴⁰) must round to the same float32 (rounding is
 *   monotone, so then every value between them, Math.tanh's included, rounds to it too). A pair
 *   of lanes that fails (about one in 30 000 by chance, and NaN, whose comparison always fails)
 *   is listed and recomputed in JS with Math.tanh. An exhaustive test over all 2³² float32 inputs
 *   (scripts in the test file) and a unit test over millions of them check that the result equals
 *   the JS kernel bit for bit.
 *
 * Operands are copied into the module's memory and the result out (TypedArray.set: memcpy).
 */

/** Lane-pair count, then x, then out, then the list of pairs to redo in JS: byte offsets. */
const HEADER = 16;

type Expr = number[];
const get = (l: number): Expr => op.localGet(l);
const f64 = (v: number): Expr => op.f64x2Const(v);
const add = (a: Expr, b: Expr): Expr => [...a, ...b, ...op.f64x2Add];
const sub = (a: Expr, b: Expr): Expr => [...a, ...b, ...op.f64x2Sub];
const mul = (a: Expr, b: Expr): Expr => [...a, ...b, ...op.f64x2Mul];
const div = (a: Expr, b: Expr): Expr => [...a, ...b, ...op.f64x2Div];
const set = (l: number, e: Expr): Expr => [...e, ...op.localSet(l)];
/** Two float32 at address `p` as float64x2. */
const load2 = (p: number): Expr => [...get(p), ...op.v128Load64Zero(0), ...op.f64x2PromoteLowF32x4];
/** Stores float64x2 `e` rounded to float32 at address `p`. */
const store2 = (p: number, e: Expr): Expr => [...get(p), ...e, ...op.f32x4DemoteF64x2Zero, ...op.v128Store64Lane0(0)];

// Constants of tanh. LN2_HI has 32 significant bits, so k·LN2_HI is exact for the k ≤ 29 used here.
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
/** 1.5·2⁵²: adding it rounds to an integer k held in the low mantissa bits. */
const ROUND_MAGIC = 6755399441055744;
const CAP = 10;
const BAND = 2 ** -40;
/** 1/n! for n = 2 … 13 (e^r − 1 = r + r²·Σ rⁿ⁻²/n!). */
const FACT_INV = Array.from({ length: 12 }, (_, i) => {
  let f = 1;
  for (let m = 2; m <= i + 2; m++) f *= m;
  return 1 / f;
});

/** The functions evaluated in float64 and checked (see the top of the file). */
export type CheckedOp = 'tanh' | 'exp' | 'sigmoid';

/** Local indices of one two-lane chain. */
interface Lanes {
  xd: number;
  t: number;
  kk: number;
  k: number;
  r: number;
  r2: number;
  r4: number;
  q: number;
  y: number;
}
const CHAIN_LOCALS = 9;

/**
 * The steps of `fn` for two lanes loaded from `x + offset`, stored to `out + offset`, each step one
 * statement. All three share e^t = 2^k·(1 + p), p = e^r − 1, for t reduced by k·ln 2:
 * - tanh: t = 2·min(|x|, 10), y = em / (em + 2) with em = e^t − 1 = 2^k·p + (2^k − 1), x's sign;
 * - exp: t = x clamped to [−110, 100] (beyond, the float32 result is 0 or +Inf anyway), y = e^t;
 * - sigmoid: t = max(−|x|, −110), E = e^t, y = 1/(1 + E) for x ≥ 0 and E/(1 + E) below, the JS
 *   kernel's two branches (so e^t never overflows).
 */
function checkedSteps(fn: CheckedOp, X: number, OUT: number, offset: number, l: Lanes): Expr[] {
  const c = (i: number): Expr => f64(FACT_INV[i]);
  // c_i + c_{i+1}·r
  const pair = (i: number): Expr => add(c(i), mul(c(i + 1), get(l.r)));
  const abs = (e: Expr): Expr => [...e, ...op.f64x2Abs];
  const min = (a: Expr, b: Expr): Expr => [...a, ...b, ...op.f64x2Pmin];
  const max = (a: Expr, b: Expr): Expr => [...a, ...b, ...op.f64x2Pmax];
  const argument: Expr[] =
    fn === 'tanh'
      ? [set(l.t, min(abs(get(l.xd)), f64(CAP))), set(l.t, add(get(l.t), get(l.t)))]
      : fn === 'exp'
        ? [set(l.t, max(get(l.xd), f64(-110))), set(l.t, min(get(l.t), f64(100)))]
        : [set(l.t, sub(f64(0), abs(get(l.xd)))), set(l.t, max(get(l.t), f64(-110)))];
  // e^t (exp, sigmoid) or e^t − 1 (tanh) into y
  const power: Expr =
    fn === 'tanh' ? add(mul(get(l.kk), get(l.q)), sub(get(l.kk), f64(1))) : add(get(l.kk), mul(get(l.kk), get(l.q)));
  const result: Expr[] =
    fn === 'tanh'
      ? [
          set(l.y, div(get(l.y), add(get(l.y), f64(2)))),
          set(l.y, [...get(l.y), ...get(l.xd), ...op.i64x2Const(-0x8000000000000000n), ...op.v128And, ...op.v128Or]),
        ]
      : fn === 'exp'
        ? [[], []]
        : [
            // k is free now: it holds 1 + E
            set(l.k, add(f64(1), get(l.y))),
            set(l.y, [
              ...div(f64(1), get(l.k)),
              ...div(get(l.y), get(l.k)),
              ...get(l.xd),
              ...f64(0),
              ...op.f64x2Ge,
              ...op.v128Bitselect,
            ]),
          ];
  return [
    set(l.xd, [...get(X), ...op.v128Load64Zero(offset), ...op.f64x2PromoteLowF32x4]),
    ...argument,
    // k = round(t / ln 2); r = t − k·ln 2 in two parts
    set(l.kk, add(mul(get(l.t), f64(INV_LN2)), f64(ROUND_MAGIC))),
    set(l.k, sub(get(l.kk), f64(ROUND_MAGIC))),
    set(l.r, sub(sub(get(l.t), mul(get(l.k), f64(LN2_HI))), mul(get(l.k), f64(LN2_LO)))),
    // q = Σ_{i<12} c_i·rⁱ by Estrin's scheme (pairs, then r², r⁴, r⁸): a short dependency chain
    set(l.r2, mul(get(l.r), get(l.r))),
    set(l.r4, mul(get(l.r2), get(l.r2))),
    set(l.q, add(add(pair(0), mul(pair(2), get(l.r2))), mul(add(pair(4), mul(pair(6), get(l.r2))), get(l.r4)))),
    set(l.q, add(get(l.q), mul(add(pair(8), mul(pair(10), get(l.r2))), mul(get(l.r4), get(l.r4))))),
    // p = r + r²·q = e^r − 1 (in q); 2^k from k's bits: (k + 1023) << 52 (in kk; k ∈ [−159, 145])
    set(l.q, add(get(l.r), mul(get(l.r2), get(l.q)))),
    set(l.kk, [...get(l.kk), ...op.i64x2Const(1023n), ...op.i64x2Add, ...op.i32Const(52), ...op.i64x2Shl]),
    set(l.y, power),
    ...result,
    [...get(OUT), ...get(l.y), ...op.f32x4DemoteF64x2Zero, ...op.v128Store64Lane0(offset)],
  ];
}

/** 1 where y·(1 − BAND) and y·(1 + BAND) round to different float32s (or y is NaN) in a lane. */
const unsure = (y: number): Expr => [
  ...mul(get(y), f64(1 - BAND)),
  ...op.f32x4DemoteF64x2Zero,
  ...mul(get(y), f64(1 + BAND)),
  ...op.f32x4DemoteF64x2Zero,
  ...op.f32x4Ne,
  ...op.v128AnyTrue,
];

// fn(x, out, list, quads): four lanes per iteration as two independent two-lane chains whose
// steps alternate (so one's latency hides behind the other's work). Locals: i32 cnt 4, idx 5,
// then v128 for the chains.
function checkedBody(fn: CheckedOp): number[] {
  const [X, OUT, LIST, N, CNT, IDX] = [0, 1, 2, 3, 4, 5];
  const lanes = (base: number): Lanes => ({
    xd: base,
    t: base + 1,
    kk: base + 2,
    k: base + 3,
    r: base + 4,
    r2: base + 5,
    r4: base + 6,
    q: base + 7,
    y: base + 8,
  });
  const [a, b] = [lanes(6), lanes(6 + CHAIN_LOCALS)];
  const sa = checkedSteps(fn, X, OUT, 0, a);
  const sb = checkedSteps(fn, X, OUT, 8, b);
  return [
    ...op.loop,
    ...sa.flatMap((st, i) => [...st, ...sb[i]]),
    // list the quad when a lane is unsure (its float32 is then redone in JS)
    ...get(LIST),
    ...get(CNT),
    ...op.i32Const(4),
    ...op.i32Mul,
    ...op.i32Add,
    ...get(IDX),
    ...op.i32Store(0),
    ...unsure(a.y),
    ...unsure(b.y),
    ...op.i32Or,
    ...get(CNT),
    ...op.i32Add,
    ...op.localSet(CNT),
    ...bump(X, 16),
    ...bump(OUT, 16),
    ...bump(IDX, 1),
    ...countDown(N),
    ...op.end,
    ...op.i32Const(0),
    ...get(CNT),
    ...op.i32Store(0),
  ];
}

// tanhGrad(y, dy, out, pairs): out = dy·(1 − y·y) in float64, rounded once.
function tanhGradBody(): number[] {
  const [V, DY, OUT, N] = [0, 1, 2, 3];
  return [
    ...op.loop,
    ...store2(OUT, mul(load2(DY), sub(f64(1), mul(load2(V), load2(V))))),
    ...bump(V, 8),
    ...bump(DY, 8),
    ...bump(OUT, 8),
    ...countDown(N),
    ...op.end,
  ];
}

// sigmoidGrad(y, dy, out, pairs): out = dy·y·(1 − y) = (dy·y)·(1 − y) in float64, rounded once.
function sigmoidGradBody(): number[] {
  const [V, DY, OUT, N] = [0, 1, 2, 3];
  return [
    ...op.loop,
    ...store2(OUT, mul(mul(load2(DY), load2(V)), sub(f64(1), load2(V)))),
    ...bump(V, 8),
    ...bump(DY, 8),
    ...bump(OUT, 8),
    ...countDown(N),
    ...op.end,
  ];
}

// same(a, b, out, n4): out = a ∘ b, four float32 lanes at a time (∘ = f32x4 add or mul).
function sameBody(f32op: number[]): number[] {
  const [A, B, OUT, N] = [0, 1, 2, 3];
  return [
    ...op.loop,
    ...get(OUT),
    ...get(A),
    ...op.v128Load(0),
    ...get(B),
    ...op.v128Load(0),
    ...f32op,
    ...op.v128Store(0),
    ...bump(A, 16),
    ...bump(B, 16),
    ...bump(OUT, 16),
    ...countDown(N),
    ...op.end,
  ];
}

// rows(a, b, out, rows, m4): out[r, j] = a[r, j] ∘ b[j] for rows of m4 four-lane vectors.
function rowsBody(f32op: number[]): number[] {
  const [A, B, OUT, ROWS, M4, J, BJ] = [0, 1, 2, 3, 4, 5, 6];
  return [
    ...op.loop,
    ...set(J, get(M4)),
    ...set(BJ, get(B)),
    ...op.loop,
    ...get(OUT),
    ...get(A),
    ...op.v128Load(0),
    ...get(BJ),
    ...op.v128Load(0),
    ...f32op,
    ...op.v128Store(0),
    ...bump(A, 16),
    ...bump(BJ, 16),
    ...bump(OUT, 16),
    ...countDown(J),
    ...op.end,
    ...countDown(ROWS),
    ...op.end,
  ];
}

// sumRows(x, out, outer, n, inner4): out[o, j] = Σ_k x[o, k, j] over k = 0 … n − 1 in order, each
// addition rounded to float32 (f32x4.add), four columns j at a time; outer, n, inner4 ≥ 1.
function sumRowsBody(): number[] {
  const [X, OUT, OUTER, N, M4, K, J, P] = [0, 1, 2, 3, 4, 5, 6, 7];
  return [
    ...op.loop,
    // out[o, :] = 0
    ...set(J, get(M4)),
    ...set(P, get(OUT)),
    ...op.loop,
    ...get(P),
    ...op.v128Zero,
    ...op.v128Store(0),
    ...bump(P, 16),
    ...countDown(J),
    ...op.end,
    // out[o, :] += x[o, k, :] for k in order
    ...set(K, get(N)),
    ...op.loop,
    ...set(J, get(M4)),
    ...set(P, get(OUT)),
    ...op.loop,
    ...get(P),
    ...get(P),
    ...op.v128Load(0),
    ...get(X),
    ...op.v128Load(0),
    ...op.f32x4Add,
    ...op.v128Store(0),
    ...bump(P, 16),
    ...bump(X, 16),
    ...countDown(J),
    ...op.end,
    ...countDown(K),
    ...op.end,
    ...set(OUT, get(P)),
    ...countDown(OUTER),
    ...op.end,
  ];
}

interface Instance {
  memory: WasmMemory;
  tanh: (x: number, out: number, list: number, quads: number) => void;
  exp: (x: number, out: number, list: number, quads: number) => void;
  sigmoid: (x: number, out: number, list: number, quads: number) => void;
  tanhGrad: (v: number, dy: number, out: number, pairs: number) => void;
  sigmoidGrad: (v: number, dy: number, out: number, pairs: number) => void;
  addSame: (a: number, b: number, out: number, n4: number) => void;
  mulSame: (a: number, b: number, out: number, n4: number) => void;
  addRows: (a: number, b: number, out: number, rows: number, m4: number) => void;
  mulRows: (a: number, b: number, out: number, rows: number, m4: number) => void;
  sumRows: (x: number, out: number, outer: number, n: number, m4: number) => void;
}

let instance: Instance | null | undefined;

function getInstance(): Instance | null {
  if (instance !== undefined) return instance;
  instance = instantiateKernels<Instance>(
    [
      ...(['tanh', 'exp', 'sigmoid'] as const).map((fn) => ({
        name: fn,
        params: [I32, I32, I32, I32],
        locals: [
          [2, I32],
          [2 * CHAIN_LOCALS, V128],
        ] as [number, number][],
        body: checkedBody(fn),
      })),
      { name: 'tanhGrad', params: [I32, I32, I32, I32], locals: [], body: tanhGradBody() },
      { name: 'sigmoidGrad', params: [I32, I32, I32, I32], locals: [], body: sigmoidGradBody() },
      { name: 'addSame', params: [I32, I32, I32, I32], locals: [], body: sameBody(op.f32x4Add) },
      { name: 'mulSame', params: [I32, I32, I32, I32], locals: [], body: sameBody(op.f32x4Mul) },
      { name: 'addRows', params: [I32, I32, I32, I32, I32], locals: [[2, I32]], body: rowsBody(op.f32x4Add) },
      { name: 'mulRows', params: [I32, I32, I32, I32, I32], locals: [[2, I32]], body: rowsBody(op.f32x4Mul) },
      { name: 'sumRows', params: [I32, I32, I32, I32, I32], locals: [[3, I32]], body: sumRowsBody() },
    ],
    1,
  );
  return instance;
}

/** Compiles the kernels now (they are otherwise compiled at first use); false without WebAssembly SIMD. */
export function simdElementwiseAvailable(): boolean {
  return getInstance() !== null;
}

/** Below this many elements the JS loops win (the copies and the call cost more than they save). */
export const ELEMENTWISE_SIMD_MIN = 64;

/** The module's memory (a view per call costs ~0.1 µs). */
const memory = new MemoryView();
const memF32 = (inst: Instance, bytes: number): Float32Array | null => memory.of(inst.memory, bytes);
/** x[0:n] into the memory at byte `p`. */
function copyIn(mem: Float32Array, p: number, x: Float32Array, n: number): void {
  mem.set(x.length === n ? x : x.subarray(0, n), p >> 2);
}
/** The memory's n floats at byte `p` into out[0:n]. */
function copyOut(mem: Float32Array, p: number, out: Float32Array, n: number): void {
  out.set(outViews.get(mem, p >> 2, n));
}
const outViews = new SpanViews();

/** The JS kernel's formula for one element (unaryImpl's), for the lanes the SIMD kernel is unsure of. */
function jsValue(fn: CheckedOp, v: number): number {
  if (fn === 'tanh') return Math.tanh(v);
  if (fn === 'exp') return Math.exp(v);
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/**
 * out[0:n] = fn(x[0:n]) with the bits of `unaryImpl(fn, …)` on float32 (tanh, exp, sigmoid); false
 * (nothing done) without WebAssembly SIMD.
 */
export function unaryCheckedF32Simd(fn: CheckedOp, x: Float32Array, out: Float32Array, n: number): boolean {
  const inst = getInstance();
  const quads = (n + 3) >> 2;
  const bytes = quads * 16;
  const mem = inst === null || n === 0 ? null : memF32(inst, HEADER + 2 * bytes + quads * 4);
  if (inst === null || mem === null) return false;
  copyIn(mem, HEADER, x, n);
  if ((n & 3) !== 0) mem.fill(0, (HEADER >> 2) + n, (HEADER >> 2) + 4 * quads);
  inst[fn](HEADER, HEADER + bytes, HEADER + 2 * bytes, quads);
  copyOut(mem, HEADER + bytes, out, n);
  const ints = memory.i32;
  const redo = ints[0];
  const list = (HEADER + 2 * bytes) >> 2;
  for (let j = 0; j < redo; j++) {
    const q = 4 * ints[list + j];
    for (let i = q; i < Math.min(q + 4, n); i++) out[i] = jsValue(fn, x[i]);
  }
  return true;
}

/** out[0:n] = fround(Math.tanh(x[0:n])), the JS kernel's bits; false (nothing done) without WebAssembly SIMD. */
export function tanhF32Simd(x: Float32Array, out: Float32Array, n: number): boolean {
  return unaryCheckedF32Simd('tanh', x, out, n);
}

function gradF32Simd(
  which: 'tanhGrad' | 'sigmoidGrad',
  v: Float32Array,
  dy: Float32Array,
  out: Float32Array,
  n: number,
): boolean {
  const inst = getInstance();
  const pairs = (n + 1) >> 1;
  const bytes = pairs * 8;
  const mem = inst === null || n === 0 ? null : memF32(inst, HEADER + 3 * bytes);
  if (inst === null || mem === null) return false;
  copyIn(mem, HEADER, v, n);
  copyIn(mem, HEADER + bytes, dy, n);
  inst[which](HEADER, HEADER + bytes, HEADER + 2 * bytes, pairs);
  copyOut(mem, HEADER + 2 * bytes, out, n);
  return true;
}

/** out[0:n] = dy·(1 − y²) as the JS kernel computes it; false without WebAssembly SIMD. */
export function tanhGradF32Simd(y: Float32Array, dy: Float32Array, out: Float32Array, n: number): boolean {
  return gradF32Simd('tanhGrad', y, dy, out, n);
}

/** out[0:n] = dy·y·(1 − y) as the JS kernel computes it; false without WebAssembly SIMD. */
export function sigmoidGradF32Simd(y: Float32Array, dy: Float32Array, out: Float32Array, n: number): boolean {
  return gradF32Simd('sigmoidGrad', y, dy, out, n);
}

/**
 * out[0:n] = a ∘ b[i mod m] (∘ = + or ·, float32), with b of length m repeating along a
 * (m = n: same shapes; m < n: a bias-like [rows, m] + [m]). f32x4.add and f32x4.mul round once
 * to float32, which equals the JS loop's float64 operation rounded to float32 (float64 has more
 * than twice float32's precision, so the double rounding never differs for + and ·). False
 * (nothing done) without WebAssembly SIMD, or when m is not a multiple of 4 (and m < n).
 */
export function binaryRowsF32Simd(
  which: 'add' | 'mul',
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  n: number,
  m: number,
): boolean {
  const inst = getInstance();
  if (inst === null || n === 0 || m === 0 || n % m !== 0 || (m < n && m % 4 !== 0)) return false;
  const aBytes = ((n + 3) & ~3) * 4;
  const bBytes = m === n ? aBytes : m * 4;
  const mem = memF32(inst, HEADER + 2 * aBytes + bBytes);
  if (mem === null) return false;
  const [pa, pb, po] = [HEADER, HEADER + aBytes, HEADER + aBytes + bBytes];
  copyIn(mem, pa, a, n);
  copyIn(mem, pb, b, m);
  if (m === n) (which === 'add' ? inst.addSame : inst.mulSame)(pa, pb, po, aBytes / 16);
  else (which === 'add' ? inst.addRows : inst.mulRows)(pa, pb, po, n / m, m / 4);
  copyOut(mem, po, out, n);
  return true;
}

/**
 * The float32 sum over contiguous `axes` of `shape` when the axes after them hold a multiple of 4
 * elements (a bias gradient: [N, F] summed over axis 0, F = 4m): out[o, j] = Σ_k x[o, k, j] with
 * every addition rounded to float32, in the order of k, exactly as `reduceImpl`'s loop
 * `out[j] += x[k, j]` on a Float32Array. False (nothing done) for other shapes or without SIMD.
 */
export function sumF32Simd(
  x: Float32Array,
  shape: readonly number[],
  axes: readonly number[],
  out: Float32Array,
): boolean {
  if (axes.length === 0 || axes[axes.length - 1] - axes[0] !== axes.length - 1) return false;
  let [outer, n, inner] = [1, 1, 1];
  for (let i = 0; i < shape.length; i++) {
    if (i < axes[0]) outer *= shape[i];
    else if (i <= axes[axes.length - 1]) n *= shape[i];
    else inner *= shape[i];
  }
  const size = outer * n * inner;
  if (inner % 4 !== 0 || size < ELEMENTWISE_SIMD_MIN || n === 0 || outer === 0) return false;
  const inst = getInstance();
  const mem = inst === null ? null : memF32(inst, HEADER + 4 * (size + outer * inner));
  if (inst === null || mem === null) return false;
  const po = HEADER + 4 * size;
  copyIn(mem, HEADER, x, size);
  inst.sumRows(HEADER, po, outer, n, inner / 4);
  copyOut(mem, po, out, outer * inner);
  return true;
}
