/**
 * A minimal WebAssembly binary emitter: just enough to build the engine's SIMD kernels from
 * readable TypeScript instead of shipping an opaque .wasm file. Opcodes follow the WebAssembly
 * 2.0 spec (core + fixed-width SIMD, prefix 0xFD).
 */
export function u32(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function s32(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function str(s: string): number[] {
  const bytes = Array.from(s, (c) => c.charCodeAt(0));
  return [...u32(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...u32(body.length), ...body];
}

export const I32 = 0x7f;
export const V128 = 0x7b;
export const F64 = 0x7c;

/** Instruction helpers (each returns its bytes). */
export const op = {
  localGet: (i: number): number[] => [0x20, ...u32(i)],
  localSet: (i: number): number[] => [0x21, ...u32(i)],
  localTee: (i: number): number[] => [0x22, ...u32(i)],
  i32Const: (v: number): number[] => [0x41, ...s32(v)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number): number[] => [0x0d, ...u32(depth)],
  v128Load: (offset: number): number[] => [0xfd, ...u32(0x00), ...u32(4), ...u32(offset)],
  v128Load32Splat: (offset: number): number[] => [0xfd, ...u32(0x09), ...u32(2), ...u32(offset)],
  v128Store: (offset: number): number[] => [0xfd, ...u32(0x0b), ...u32(4), ...u32(offset)],
  f32x4Add: [0xfd, ...u32(0xe4)],
  f32x4Mul: [0xfd, ...u32(0xe6)],
  f32x4Gt: [0xfd, ...u32(0x44)],
  /** pmax(a, b) = a < b ? b : a: with a = 0, exactly `b > 0 ? b : 0` (NaN and -0 give +0). */
  f32x4Pmax: [0xfd, ...u32(0xeb)],
  v128And: [0xfd, ...u32(0x4e)],
  v128Zero: [0xfd, ...u32(0x0c), ...new Array<number>(16).fill(0)],
  /** i32.load (alignment 4) at the address on the stack plus `offset`. */
  i32Load: (offset: number): number[] => [0x28, ...u32(2), ...u32(offset)],
  i32Shl: [0x74],
  i32LtS: [0x48],
  /** select(a, b, cond): a when cond ≠ 0, else b. */
  select: [0x1b],
  /** i8x16.shuffle(a, b) with 16 byte indices into a‖b. */
  i8x16Shuffle: (lanes: number[]): number[] => [0xfd, ...u32(0x0d), ...lanes],
  /** bitselect(a, b, mask) = (a AND mask) OR (b AND NOT mask). */
  v128Bitselect: [0xfd, ...u32(0x52)],
  v128Or: [0xfd, ...u32(0x50)],
  /** andnot(a, b) = a AND NOT b. */
  v128AndNot: [0xfd, ...u32(0x4f)],
  v128Not: [0xfd, ...u32(0x4d)],
  f32x4Eq: [0xfd, ...u32(0x41)],
  f32x4Ne: [0xfd, ...u32(0x42)],
  /** f32.load / f32.store (alignment 4) at the address on the stack plus `offset`. */
  f32Load: (offset: number): number[] => [0x2a, ...u32(2), ...u32(offset)],
  f32Store: (offset: number): number[] => [0x38, ...u32(2), ...u32(offset)],
  // Added for the elementwise kernels (elementwiseF32Simd.ts).
  i32Mul: [0x6c],
  i32Or: [0x72],
  /** i32.store (alignment 4) of the value on the stack at the address below it plus `offset`. */
  i32Store: (offset: number): number[] => [0x36, ...u32(2), ...u32(offset)],
  /** v128.const of two float64 lanes. */
  f64x2Const: (lo: number, hi = lo): number[] => [
    0xfd,
    ...u32(0x0c),
    ...new Uint8Array(Float64Array.of(lo, hi).buffer),
  ],
  /** v128.const of two int64 lanes. */
  i64x2Const: (lo: bigint, hi = lo): number[] => [
    0xfd,
    ...u32(0x0c),
    ...new Uint8Array(BigInt64Array.of(lo, hi).buffer),
  ],
  f64x2Abs: [0xfd, ...u32(0xec)],
  /** min with NaN propagation (a NaN lane stays NaN). */
  f64x2Min: [0xfd, ...u32(0xf4)],
  i64x2Add: [0xfd, ...u32(0xce)],
  i64x2Shl: [0xfd, ...u32(0xcb)],
  /** 1 when any bit of the vector is set, else 0. */
  v128AnyTrue: [0xfd, ...u32(0x53)],
  f64x2Max: [0xfd, ...u32(0xf5)],
  f64x2Ge: [0xfd, ...u32(0x4c)],
  // Added for the gemm's sparse path (gemmF32Simd.ts).
  /** block … end: `br_if 0` inside jumps past its end. */
  block: [0x02, 0x40],
  /** 1 when the i32 on the stack is 0, else 0. */
  i32Eqz: [0x45],
  i32ShrU: [0x76],
  // Added for the small-step kernels (elementwiseF32Simd.ts, gemmF32Simd.ts).
  /** pmin(a, b) = b < a ? b : a per lane (one x64 instruction; a NaN a stays NaN). */
  f64x2Pmin: [0xfd, ...u32(0xf6)],
  /** pmax(a, b) = a < b ? b : a per lane (one x64 instruction; a NaN a stays NaN). */
  f64x2Pmax: [0xfd, ...u32(0xf7)],
};

/** Scalar float32 loads and stores (the gemm's packing of strided operands), and calls. */
export const opF32 = {
  /** call f (functions are numbered in the order given to buildModule). */
  call: (f: number): number[] => [0x10, ...u32(f)],
  f32Load: (offset: number): number[] => [0x2a, ...u32(2), ...u32(offset)],
  f32Store: (offset: number): number[] => [0x38, ...u32(2), ...u32(offset)],
};

/**
 * Helpers for float64 arithmetic on float32 data, two lanes at a time (the optimizers' updates):
 * load two float32 as f64x2, compute in float64, store the two results rounded to float32. Each
 * f64x2 operation is the IEEE float64 operation of JS on each lane, so a JS loop over a
 * Float32Array (float64 arithmetic, rounded to float32 when stored) gives the same bits.
 */
export const opF64x2 = {
  /** v128.load64_zero: two float32 into the low half, zeros above. */
  v128Load64Zero: (offset: number): number[] => [0xfd, ...u32(0x5d), ...u32(3), ...u32(offset)],
  /** v128.store64_lane 0: the low two float32 lanes. */
  v128Store64Lane0: (offset: number): number[] => [0xfd, ...u32(0x5b), ...u32(3), ...u32(offset), 0],
  f64x2Splat: [0xfd, ...u32(0x14)],
  f64x2PromoteLowF32x4: [0xfd, ...u32(0x5f)],
  f32x4DemoteF64x2Zero: [0xfd, ...u32(0x5e)],
  f64x2Add: [0xfd, ...u32(0xf0)],
  f64x2Sub: [0xfd, ...u32(0xf1)],
  f64x2Mul: [0xfd, ...u32(0xf2)],
  f64x2Div: [0xfd, ...u32(0xf3)],
  f64x2Sqrt: [0xfd, ...u32(0xef)],
};

export interface FuncDef {
  name: string;
  params: number[];
  /** Extra locals as (count, type) pairs. */
  locals: [number, number][];
  body: number[];
}

/** local ← local + `by` (an i32 expression): a pointer or a counter moved on. */
export const advance = (local: number, by: number[]): number[] => [
  ...op.localGet(local),
  ...by,
  ...op.i32Add,
  ...op.localSet(local),
];

/** local ← local + `bytes`. */
export const bump = (local: number, bytes: number): number[] => advance(local, op.i32Const(bytes));

/** A loop's tail: n ← n − 1, and round again while n ≠ 0 (the caller closes the loop with `op.end`). */
export const countDown = (n: number): number[] => [
  ...op.localGet(n),
  ...op.i32Const(1),
  ...op.i32Sub,
  ...op.localTee(n),
  ...op.brIf(0),
];

/**
 * `name(dst, src, quads)`: dst ← dst + src in float32, four lanes at a time (`quads` ≥ 1). The gemm
 * adds C onto c with it, the optimizers accumulate gradients, the convolutions add partial sums.
 */
export function addIntoFunc(name: string): FuncDef {
  const [DST, SRC, N] = [0, 1, 2];
  return {
    name,
    params: [I32, I32, I32],
    locals: [],
    body: [
      ...op.loop,
      ...op.localGet(DST),
      ...op.localGet(DST),
      ...op.v128Load(0),
      ...op.localGet(SRC),
      ...op.v128Load(0),
      ...op.f32x4Add,
      ...op.v128Store(0),
      ...bump(DST, 16),
      ...bump(SRC, 16),
      ...countDown(N),
      ...op.end,
    ],
  };
}

/** A module with one exported memory ("mem", `minPages` pages) and the given exported functions (no results). */
export function buildModule(funcs: FuncDef[], minPages: number): Uint8Array {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = section(1, vec(funcs.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec([])])));
  const fnSec = section(3, vec(funcs.map((_, i) => u32(i))));
  const mem = section(5, vec([[0x00, ...u32(minPages)]]));
  const exps = section(
    7,
    vec([[...str('mem'), 0x02, ...u32(0)], ...funcs.map((f, i) => [...str(f.name), 0x00, ...u32(i)])]),
  );
  const code = section(
    10,
    vec(
      funcs.map((f) => {
        const body = [...vec(f.locals.map(([n, t]) => [...u32(n), t])), ...f.body, ...op.end];
        return [...u32(body.length), ...body];
      }),
    ),
  );
  return Uint8Array.from([...header, ...types, ...fnSec, ...mem, ...exps, ...code]);
}

// NOTE: typed locally because the Node type-check (no DOM lib) does not declare WebAssembly.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/**
 * Compiles `funcs` into a module with its own memory and returns its exports (`mem` and each
 * function by name), or null where WebAssembly or its SIMD is unavailable (an old runtime, or a
 * CSP without 'wasm-unsafe-eval'): callers then run their JS kernel.
 */
export function instantiate(funcs: FuncDef[], minPages: number): Record<string, unknown> | null {
  const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return null;
  try {
    return new wasm.Instance(new wasm.Module(buildModule(funcs, minPages)), {}).exports;
  } catch {
    return null;
  }
}

/**
 * `instantiate`, with the exports as a module's kernel record: `memory` (the module's memory)
 * and each function under its name. `T` lists them; the one cast of the exports is here.
 */
export function instantiateKernels<T extends { memory: WasmMemory }>(funcs: FuncDef[], minPages: number): T | null {
  const e = instantiate(funcs, minPages);
  if (e === null) return null;
  const { mem, ...fns } = e;
  return { ...fns, memory: mem } as unknown as T;
}

/** Grows `memory` to at least `bytes`; false when it cannot (a 32-bit memory tops out at 4 GiB). */
export function ensureBytes(memory: WasmMemory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}

/**
 * A module's whole memory as float32 (`f32`) and int32 (`i32`), made anew only after it grew. The
 * memory is the module's alone and grows only through `of`, so while the kept view is long
 * enough (a grow detaches the old buffer, whose views then have length 0) neither the memory's
 * `buffer` getter nor a view's `byteLength` is read: both are accessors V8 does not inline on
 * Node 20, a visible part of a small kernel call.
 */
export class MemoryView {
  f32: Float32Array | null = null;
  i32 = new Int32Array(0);

  /** The memory as float32, at least `bytes` long (grown if needed), or null when it cannot grow. */
  of(memory: WasmMemory, bytes: number): Float32Array | null {
    const kept = this.f32;
    if (kept !== null && bytes <= kept.length * 4) return kept;
    if (!ensureBytes(memory, bytes)) return null;
    const buf = memory.buffer;
    if (kept === null || kept.buffer !== buf) {
      this.f32 = new Float32Array(buf);
      this.i32 = new Int32Array(buf);
    }
    return this.f32;
  }
}

/** Offsets and lengths (in floats) from this on are not kept by `SpanViews`. */
const SPAN_LIMIT = 1 << 20;

/**
 * `mem.subarray(at, at + n)` for a module's whole-memory view `mem`, kept and given again for the
 * same (at, n) while `mem` is the module's view (it changes only when the memory grows): a
 * `subarray` costs ~50–80 ns, a lookup here ~10, and the small steps copy results out of the
 * modules at every kernel call. Regions at or beyond 2²⁰ floats get a fresh `subarray`.
 */
export class SpanViews {
  private readonly views = new Map<number, Float32Array>();
  private of: Float32Array | null = null;

  get(mem: Float32Array, at: number, n: number): Float32Array {
    if (at >= SPAN_LIMIT || n >= SPAN_LIMIT) return mem.subarray(at, at + n);
    if (mem !== this.of) {
      this.views.clear();
      this.of = mem;
    }
    const key = at * SPAN_LIMIT + n;
    let v = this.views.get(key);
    if (v === undefined) {
      if (this.views.size >= 256) this.views.clear();
      v = mem.subarray(at, at + n);
      this.views.set(key, v);
    }
    return v;
  }
}
