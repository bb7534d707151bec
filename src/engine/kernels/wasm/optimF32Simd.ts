import {
  F64,
  I32,
  V128,
  bump,
  countDown,
  instantiate,
  op,
  MemoryView,
  SpanViews,
  opF64x2 as v,
  type FuncDef,
  type WasmMemory,
} from './emit';

/**
 * The float32 optimizer updates (SGD, Adam/AdamW) and the accumulation of a gradient into
 * `.grad`, in WebAssembly SIMD. JS loops over Float32Arrays run at about 1 ns per element in V8
 * (no vectorisation, a conversion per access); these copy their arrays into the module's memory
 * (TypedArray.set: a memcpy), update them there and copy the results back, ~10× faster on the
 * MLP's 100k weights.
 *
 * Same numbers as the JS loops (sgd.ts, adam.ts, their twins and tests): the updates compute in
 * float64, two lanes at a time (f64x2), with the JS loop's operations in its order, and round to
 * float32 where the JS loop stores into a Float32Array (every stored value that the loop reads
 * back is reread rounded here too); the accumulation adds in float32 (f32x4.add), which is what
 * `d[i] += s[i]` on Float32Arrays gives (float32 + float32 computed in float64 and rounded to
 * float32 is the correctly rounded float32 sum).
 */

type Expr = number[];
const lanes = (ptr: number): Expr => [...op.localGet(ptr), ...v.v128Load64Zero(0), ...v.f64x2PromoteLowF32x4];
const f32 = (e: Expr): Expr => [...e, ...v.f32x4DemoteF64x2Zero];
/** Rounds a float64 pair to float32 and back: what storing into a Float32Array and reading back gives. */
const rounded = (e: Expr): Expr => [...f32(e), ...v.f64x2PromoteLowF32x4];
const store = (ptr: number, e: Expr): Expr => [...op.localGet(ptr), ...f32(e), ...v.v128Store64Lane0(0)];
const get = (l: number): Expr => op.localGet(l);
const set = (l: number, e: Expr): Expr => [...e, ...op.localSet(l)];
const add = (a: Expr, b: Expr): Expr => [...a, ...b, ...v.f64x2Add];
const sub = (a: Expr, b: Expr): Expr => [...a, ...b, ...v.f64x2Sub];
const mul = (a: Expr, b: Expr): Expr => [...a, ...b, ...v.f64x2Mul];
const div = (a: Expr, b: Expr): Expr => [...a, ...b, ...v.f64x2Div];
const sqrt = (a: Expr): Expr => [...a, ...v.f64x2Sqrt];
const splat = (scalar: number, vec: number): Expr => [...op.localGet(scalar), ...v.f64x2Splat, ...op.localSet(vec)];

/** `count` iterations (≥ 1) of `body`, each followed by advancing `ptrs` by `bytes` (two float32). */
function loop(count: number, ptrs: number[], body: Expr, bytes = 8): Expr {
  return [...op.loop, ...body, ...ptrs.flatMap((p) => bump(p, bytes)), ...countDown(count), ...op.end];
}

/** Float32 lanes per round of the accumulation; arrays are laid out in the memory padded to a whole round. */
const PAD = 16;

/**
 * accumulate(dst, src, rounds): dst ← dst + src in float32, four f32x4.add a round where
 * emit's addIntoFunc does one: the same sums, a quarter of the loop's own instructions (a
 * layer's 100k-weight gradient into `.grad` 30 → 26 µs with its copies).
 */
function accumulateFunc(): FuncDef {
  const [DST, SRC, N] = [0, 1, 2];
  const body: Expr = [];
  for (let q = 0; q < PAD / 4; q++)
    body.push(
      ...op.localGet(DST),
      ...op.localGet(DST),
      ...op.v128Load(16 * q),
      ...op.localGet(SRC),
      ...op.v128Load(16 * q),
      ...op.f32x4Add,
      ...op.v128Store(16 * q),
    );
  return { name: 'accumulate', params: [I32, I32, I32], locals: [], body: loop(N, [DST, SRC], body, 4 * PAD) };
}

type SgdMode = 'plain' | 'fresh' | 'fresh-nesterov' | 'momentum' | 'momentum-nesterov';
const SGD_MODES: SgdMode[] = ['plain', 'fresh', 'fresh-nesterov', 'momentum', 'momentum-nesterov'];

/**
 * sgd(x, g, b, pairs, lr, wd, mu, 1 − dampening), the loop of SGD.step (sgd.ts) for one mode:
 *   plain:    x ← x − lr·(g + wd·x)
 *   fresh:    d = g + wd·x; b ← d;                 x ← x − lr·(nesterov ? d + μ·b : b)
 *   momentum: d = g + wd·x; b ← μ·b + (1 − τ)·d;   x ← x − lr·(nesterov ? d + μ·b : b)
 */
function sgdFunc(mode: SgdMode): FuncDef {
  const [X, G, B, N, LR, WD, MU, DAMP1] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [lr, wd, mu, damp1, x, d, b] = [8, 9, 10, 11, 12, 13, 14];
  const nesterov = mode.endsWith('nesterov');
  const body: Expr =
    mode === 'plain'
      ? [...set(x, lanes(X)), ...store(X, sub(get(x), mul(get(lr), add(lanes(G), mul(get(wd), get(x))))))]
      : [
          ...set(x, lanes(X)),
          ...set(d, add(lanes(G), mul(get(wd), get(x)))),
          ...set(b, rounded(mode.startsWith('fresh') ? get(d) : add(mul(get(mu), lanes(B)), mul(get(damp1), get(d))))),
          ...store(B, get(b)),
          ...store(X, sub(get(x), mul(get(lr), nesterov ? add(get(d), mul(get(mu), get(b))) : get(b)))),
        ];
  return {
    name: `sgd_${mode.replace('-', '_')}`,
    params: [I32, I32, I32, I32, F64, F64, F64, F64],
    locals: [[7, V128]],
    body: [...splat(LR, lr), ...splat(WD, wd), ...splat(MU, mu), ...splat(DAMP1, damp1), ...loop(N, [X, G, B], body)],
  };
}

/**
 * adam(x, g, m, v, pairs, decay, l2, β1, 1 − β1, β2, 1 − β2, stepSize, √(1 − β2^t), eps), the loop
 * of Adam.step (adam.ts), AdamW's decay (x ← x·decay, rounded) fused in front (decay = 1 for Adam,
 * an exact no-op):
 *   g' = g + l2·x; m ← β1·m + (1 − β1)·g'; v ← β2·v + (1 − β2)·g'·g';
 *   x ← x − (stepSize·m) / (√v / √(1 − β2^t) + eps)
 */
function adamFunc(): FuncDef {
  const [X, G, M, V, N] = [0, 1, 2, 3, 4];
  const scalars = [5, 6, 7, 8, 9, 10, 11, 12, 13];
  const [decay, l2, b1, omb1, b2, omb2, stepSize, bc2, eps] = [14, 15, 16, 17, 18, 19, 20, 21, 22];
  const [x, gp, m, vv] = [23, 24, 25, 26];
  const body: Expr = [
    ...set(x, rounded(mul(lanes(X), get(decay)))),
    ...set(gp, add(lanes(G), mul(get(l2), get(x)))),
    ...set(m, rounded(add(mul(get(b1), lanes(M)), mul(get(omb1), get(gp))))),
    ...set(vv, rounded(add(mul(get(b2), lanes(V)), mul(mul(get(omb2), get(gp)), get(gp))))),
    ...store(M, get(m)),
    ...store(V, get(vv)),
    ...store(X, sub(get(x), div(mul(get(stepSize), get(m)), add(div(sqrt(get(vv)), get(bc2)), get(eps))))),
  ];
  return {
    name: 'adam',
    params: [I32, I32, I32, I32, I32, ...scalars.map(() => F64)],
    locals: [[13, V128]],
    body: [...scalars.flatMap((s, i) => splat(s, decay + i)), ...loop(N, [X, G, M, V], body)],
  };
}

type SgdFn = (
  x: number,
  g: number,
  b: number,
  pairs: number,
  lr: number,
  wd: number,
  mu: number,
  damp1: number,
) => void;
type AdamFn = (x: number, g: number, m: number, v: number, pairs: number, ...coeffs: number[]) => void;

interface Instance {
  memory: WasmMemory;
  sgd: Record<SgdMode, SgdFn>;
  adam: AdamFn;
  accumulate: (d: number, s: number, rounds: number) => void;
}

let instance: Instance | null | undefined;

function getInstance(): Instance | null {
  if (instance !== undefined) return instance;
  const sgdFuncs = SGD_MODES.map(sgdFunc);
  const e = instantiate([...sgdFuncs, adamFunc(), accumulateFunc()], 1);
  instance =
    e === null
      ? null
      : {
          memory: e.mem as WasmMemory,
          sgd: Object.fromEntries(SGD_MODES.map((mode, i) => [mode, e[sgdFuncs[i].name] as SgdFn])) as Record<
            SgdMode,
            SgdFn
          >,
          adam: e.adam as AdamFn,
          accumulate: e.accumulate as Instance['accumulate'],
        };
  return instance;
}

/** Compiles the kernels now (they are otherwise compiled at first use); false without WebAssembly SIMD. */
export function simdUpdateAvailable(): boolean {
  return getInstance() !== null;
}

/**
 * Below this many elements the JS loops win (the views, copies and the call cost more than they
 * save): a Linear layer's bias stays in JS, its weight goes to WebAssembly.
 */
export const UPDATE_SIMD_MIN = 256;

/** The module's memory and the kept views the results are copied out of. */
const memory = new MemoryView();
const outViews = new SpanViews();

/**
 * Room for `count` arrays of n float32 one after the other (each padded to PAD lanes): the view of
 * the memory, grown if needed, or null when it cannot grow.
 */
function room(inst: Instance, count: number, n: number): Float32Array | null {
  return memory.of(inst.memory, count * strideOf(n));
}

/** Bytes between the arrays copied in (n float32 padded to PAD lanes). */
const strideOf = (n: number): number => Math.ceil(n / PAD) * PAD * 4;

/** a[0:n] into the memory at byte `at` (a memcpy). */
function copyIn(mem: Float32Array, at: number, a: Float32Array, n: number): void {
  mem.set(a.length === n ? a : a.subarray(0, n), at >> 2);
}

/** The memory's n float32 at byte `at` into to[0:n]. */
function copyOut(mem: Float32Array, at: number, to: Float32Array, n: number): void {
  to.set(outViews.get(mem, at >> 2, n));
}

export interface SgdCoefficients {
  lr: number;
  weightDecay: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
}

/**
 * One SGD update of x[0:n] (float32) with gradient g; b is the momentum buffer (null without
 * momentum), `fresh` when it holds nothing yet (its first step). The same bits as SGD.step's JS
 * loop; false (nothing done) where WebAssembly SIMD is unavailable.
 */
export function sgdF32Simd(
  x: Float32Array,
  g: Float32Array,
  b: Float32Array | null,
  fresh: boolean,
  n: number,
  c: SgdCoefficients,
): boolean {
  const inst = getInstance();
  if (inst === null || n === 0) return false;
  const mode: SgdMode =
    b === null ? 'plain' : (`${fresh ? 'fresh' : 'momentum'}${c.nesterov ? '-nesterov' : ''}` as SgdMode);
  const mem = room(inst, b === null ? 2 : 3, n);
  if (mem === null) return false;
  const [xo, go, bo] = [0, strideOf(n), 2 * strideOf(n)];
  copyIn(mem, xo, x, n);
  copyIn(mem, go, g, n);
  if (b !== null) copyIn(mem, bo, b, n);
  inst.sgd[mode](xo, go, b === null ? 0 : bo, (n + 1) >> 1, c.lr, c.weightDecay, c.momentum, 1 - c.dampening);
  copyOut(mem, xo, x, n);
  if (b !== null) copyOut(mem, bo, b, n);
  return true;
}

/** Adam's coefficients for one step (see adamFunc): decay is 1 for Adam, 1 − lr·wd for AdamW. */
export interface AdamCoefficients {
  decay: number;
  l2: number;
  beta1: number;
  beta2: number;
  stepSize: number;
  bc2Sqrt: number;
  eps: number;
}

/** One Adam/AdamW update of x[0:n] (float32), moments m and v; the same bits as Adam.step's JS loops. */
export function adamF32Simd(
  x: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  n: number,
  c: AdamCoefficients,
): boolean {
  const inst = getInstance();
  if (inst === null || n === 0) return false;
  const mem = room(inst, 4, n);
  if (mem === null) return false;
  const stride = strideOf(n);
  const [xo, go, mo, vo] = [0, stride, 2 * stride, 3 * stride];
  copyIn(mem, xo, x, n);
  copyIn(mem, go, g, n);
  copyIn(mem, mo, m, n);
  copyIn(mem, vo, v, n);
  inst.adam(
    xo,
    go,
    mo,
    vo,
    (n + 1) >> 1,
    c.decay,
    c.l2,
    c.beta1,
    1 - c.beta1,
    c.beta2,
    1 - c.beta2,
    c.stepSize,
    c.bc2Sqrt,
    c.eps,
  );
  copyOut(mem, xo, x, n);
  copyOut(mem, mo, m, n);
  copyOut(mem, vo, v, n);
  return true;
}

/** d[0:n] += s[0:n] in float32 (a gradient into `.grad`); the same bits as the JS loop. */
export function accumulateF32Simd(d: Float32Array, s: Float32Array, n: number): boolean {
  const inst = getInstance();
  if (inst === null || n === 0) return false;
  const mem = room(inst, 2, n);
  if (mem === null) return false;
  const so = strideOf(n);
  copyIn(mem, 0, d, n);
  copyIn(mem, so, s, n);
  inst.accumulate(0, so, Math.ceil(n / PAD));
  copyOut(mem, 0, d, n);
  return true;
}
