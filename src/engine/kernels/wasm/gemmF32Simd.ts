import type { GemmOperand } from '../gemm/pack';
import {
  I32,
  V128,
  addIntoFunc,
  advance,
  bump,
  countDown,
  instantiateKernels,
  MemoryView,
  SpanViews,
  op,
  opF32,
  type FuncDef,
  type WasmMemory,
} from './emit';

/**
 * Float32 GEMM with a WebAssembly SIMD micro-kernel (4×8 tile: 8 f32x4 accumulators).
 *
 * JS copies both operands into the module's memory (TypedArray.set), the module packs a KC-deep
 * block of A in groups of MR rows ([i/MR][p][MR]) and the matching panel of B as column-octets
 * ([j/8][p][8]), the layout of gemm/pack.ts's packers (which pack the last, zero-padded group);
 * the kernel accumulates each 4×8 tile of a padded C in that memory, a strip of tiles per call
 * from JS; JS copies the valid part of C out. The float32 twin in the test gives the same bits.
 * Where A has many zeros (a ReLU layer's gradient, an image batch) and B is finite, a k-block
 * may instead run the sparse kernel (sparseFunc), which leaves A's zeros out: same bits.
 * NOTE: products are accumulated in float32 (as PyTorch and TensorFlow.js do); the float64
 * path of the engine stays in plain JS with double accumulation.
 */

/**
 * Rows of the register tile (MR × 8 columns: 2·MR f32x4 accumulators + 3 work registers).
 * Measured on x64 (V8): MR = 4 gives ~40 GFLOP/s at n = 1024; MR = 5 or 6 drop to 24–29
 * (register spills), so keep 4.
 */
const MR = 4;

/**
 * Tile ← tile + acc, or tile ← acc (`store`: the first k-block, so that C needs no zeroing
 * first). The same bits: an accumulator that starts at +0 is never −0 (a float sum is −0 only
 * when both terms are), so 0 + acc is acc.
 */
function intoTile(store: boolean, c: number, offset: number, accLocal: number): number[] {
  if (store) return [...op.localGet(c), ...op.localGet(accLocal), ...op.v128Store(offset)];
  return [
    ...op.localGet(c),
    ...op.localGet(c),
    ...op.v128Load(offset),
    ...op.localGet(accLocal),
    ...op.f32x4Add,
    ...op.v128Store(offset),
  ];
}

// Kernel parameters: kc, aPtr, bPtr, cPtr, ldcBytes. Locals: halves·MR accumulators, then b0, b1, av.
// `halves`: f32x4 vectors per row of the tile: 2 (MR×8, B packed in column-octets) or 1 (MR×4 for
// a C of at most 4 columns, B in column-quads): the same operations on each lane.
function microKernel(store: boolean, halves = 2): number[] {
  const [KC, A, B, C, LDC] = [0, 1, 2, 3, 4];
  const acc = (i: number): number => 5 + i;
  const [B0, B1, AV] = [5 + 2 * MR, 6 + 2 * MR, 7 + 2 * MR];
  const body: number[] = [];
  body.push(...op.loop);
  body.push(...op.localGet(B), ...op.v128Load(0), ...op.localSet(B0));
  if (halves === 2) body.push(...op.localGet(B), ...op.v128Load(16), ...op.localSet(B1));
  for (let r = 0; r < MR; r++) {
    body.push(...op.localGet(A), ...op.v128Load32Splat(4 * r), ...op.localSet(AV));
    for (let h = 0; h < halves; h++) {
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
  body.push(...bump(A, 4 * MR));
  body.push(...bump(B, 16 * halves));
  body.push(...countDown(KC));
  body.push(...op.end);
  for (let r = 0; r < MR; r++) {
    for (let h = 0; h < halves; h++) body.push(...intoTile(store, C, 16 * h, acc(2 * r + h)));
    body.push(...advance(C, op.localGet(LDC)));
  }
  return body;
}

/**
 * The packing of gemm/pack.ts's packColumns, in WebAssembly, for whole groups of `w` columns of
 * an operand already copied into the memory (a JS loop over Float32Arrays costs ~1 ns per
 * element; this, a few times less). pack{w}(src, rsBytes, csBytes, kc, dst, groups, groupBytes):
 * group g of columns starts at src + g·groupBytes (= w·csBytes); dst[g][p][q] = X(p, g·w + q). `contiguous`: the w
 * columns of a row are adjacent (csBytes = 4), copied as f32x4; otherwise one float at a time.
 */
function packFunc(w: number, contiguous: boolean): FuncDef {
  const [SRC, RS, CS, KC, DST, GROUPS, GSTRIDE] = [0, 1, 2, 3, 4, 5, 6];
  const [ROW, AT, P] = [7, 8, 9];
  const row: number[] = [];
  if (contiguous) {
    for (let h = 0; h < w / 4; h++)
      row.push(...op.localGet(DST), ...op.localGet(ROW), ...op.v128Load(16 * h), ...op.v128Store(16 * h));
  } else {
    row.push(...op.localGet(ROW), ...op.localSet(AT));
    for (let q = 0; q < w; q++) {
      row.push(...op.localGet(DST), ...op.localGet(AT), ...opF32.f32Load(0), ...opF32.f32Store(4 * q));
      if (q + 1 < w) row.push(...advance(AT, op.localGet(CS)));
    }
  }
  return {
    name: `pack${w}${contiguous ? 'c' : ''}`,
    params: [I32, I32, I32, I32, I32, I32, I32],
    locals: [[3, I32]],
    body: [
      ...op.loop,
      ...op.localGet(SRC),
      ...op.localSet(ROW),
      ...op.localGet(KC),
      ...op.localSet(P),
      ...op.loop,
      ...row,
      ...advance(DST, op.i32Const(4 * w)),
      ...advance(ROW, op.localGet(RS)),
      ...countDown(P),
      ...op.end,
      ...advance(SRC, op.localGet(GSTRIDE)),
      ...countDown(GROUPS),
      ...op.end,
    ],
  };
}

/**
 * pack{w}t(src, rsBytes, csBytes, quads, dst, groups, groupBytes): pack{w} for an operand whose
 * rows (the k direction) are adjacent in memory (rsBytes = 4) and columns far apart, as the
 * forward product's X (64×784) and Wᵀ, which pack{w} gathered one float at a time: each column
 * gives four consecutive rows in one f32x4 load, four columns' loads are transposed by shuffles
 * and stored as four packed rows. `quads` = kc / 4 (JS takes this path when 4 divides kc). The
 * same floats move to the same places as in pack{w}: only data moves, no arithmetic.
 */
function packTransposedFunc(w: number): FuncDef {
  const [SRC, CS, QUADS, DST, GROUPS, GSTRIDE] = [0, 2, 3, 4, 5, 6];
  const [ROW, AT, P] = [7, 8, 9];
  const [R0, T0] = [10, 14];
  // Float lanes → byte lanes of i8x16.shuffle (lanes 4..7 are the second operand's).
  const lanesOf = (fs: number[]): number[] => fs.flatMap((f) => [4 * f, 4 * f + 1, 4 * f + 2, 4 * f + 3]);
  const shuffle = (x: number, y: number, fs: number[]): number[] => [
    ...op.localGet(x),
    ...op.localGet(y),
    ...op.i8x16Shuffle(lanesOf(fs)),
  ];
  const quad: number[] = [];
  for (let h = 0; h < w / 4; h++) {
    // Columns 4h .. 4h+3 of the group (AT walks on from column 0): rows p .. p+3 of each.
    if (h === 0) quad.push(...op.localGet(ROW), ...op.localSet(AT));
    for (let q = 0; q < 4; q++) {
      if (h > 0 || q > 0) quad.push(...advance(AT, op.localGet(CS)));
      quad.push(...op.localGet(AT), ...op.v128Load(0), ...op.localSet(R0 + q));
    }
    quad.push(
      ...shuffle(R0, R0 + 1, [0, 4, 1, 5]),
      ...op.localSet(T0),
      ...shuffle(R0 + 2, R0 + 3, [0, 4, 1, 5]),
      ...op.localSet(T0 + 1),
      ...shuffle(R0, R0 + 1, [2, 6, 3, 7]),
      ...op.localSet(T0 + 2),
      ...shuffle(R0 + 2, R0 + 3, [2, 6, 3, 7]),
      ...op.localSet(T0 + 3),
    );
    // Packed row p + r, columns 4h .. 4h+3.
    const rows: [number, number, number[]][] = [
      [T0, T0 + 1, [0, 1, 4, 5]],
      [T0, T0 + 1, [2, 3, 6, 7]],
      [T0 + 2, T0 + 3, [0, 1, 4, 5]],
      [T0 + 2, T0 + 3, [2, 3, 6, 7]],
    ];
    rows.forEach(([x, y, fs], r) =>
      quad.push(...op.localGet(DST), ...shuffle(x, y, fs), ...op.v128Store(4 * (r * w + 4 * h))),
    );
  }
  return {
    name: `pack${w}t`,
    params: [I32, I32, I32, I32, I32, I32, I32],
    locals: [
      [3, I32],
      [8, V128],
    ],
    body: [
      ...op.loop,
      ...op.localGet(SRC),
      ...op.localSet(ROW),
      ...op.localGet(QUADS),
      ...op.localSet(P),
      ...op.loop,
      ...quad,
      ...advance(DST, op.i32Const(16 * w)),
      ...advance(ROW, op.i32Const(16)),
      ...countDown(P),
      ...op.end,
      ...advance(SRC, op.localGet(GSTRIDE)),
      ...countDown(GROUPS),
      ...op.end,
    ],
  };
}

/**
 * packPart(src, rsBytes, csBytes, kc, dst, valid, groupBytes): the last group of a panel when it
 * holds fewer than w columns: dst[p][q] = X(p, q) for q < valid, one float at a time (JS has
 * zeroed the group, so the columns past `valid` are the zero padding of packColumns). For a C of
 * 2 or 3 columns (the tiny MLP's output layer) this was a JS loop costing about as much as the
 * product.
 */
function packPartFunc(): FuncDef {
  const [SRC, RS, CS, KC, DST, VALID, GBYTES] = [0, 1, 2, 3, 4, 5, 6];
  const [AT, D, Q] = [7, 8, 9];
  return {
    name: 'packPart',
    params: [I32, I32, I32, I32, I32, I32, I32],
    locals: [[3, I32]],
    body: [
      ...op.loop,
      ...op.localGet(SRC),
      ...op.localSet(AT),
      ...op.localGet(DST),
      ...op.localSet(D),
      ...op.localGet(VALID),
      ...op.localSet(Q),
      ...op.loop,
      ...op.localGet(D),
      ...op.localGet(AT),
      ...opF32.f32Load(0),
      ...opF32.f32Store(0),
      ...advance(AT, op.localGet(CS)),
      ...advance(D, op.i32Const(4)),
      ...countDown(Q),
      ...op.end,
      ...advance(SRC, op.localGet(RS)),
      ...advance(DST, op.localGet(GBYTES)),
      ...countDown(KC),
      ...op.end,
    ],
  };
}

/**
 * strip(kc, a, b, c, ldcBytes, tiles, aTileBytes, cTileBytes): the micro-kernel (function `kernel`) on
 * `tiles` row-tiles one under the other (a and c step on by a tile's bytes) against one packed
 * strip of B: the gemm's innermost loop, here so that JS calls WebAssembly once per strip
 * instead of once per tile.
 */
function stripFunc(name: string, kernel: number): FuncDef {
  const [KC, A, B, C, LDC, TILES, A_TILE, C_TILE] = [0, 1, 2, 3, 4, 5, 6, 7];
  return {
    name,
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [],
    body: [
      ...op.loop,
      ...[KC, A, B, C, LDC].flatMap((l) => op.localGet(l)),
      ...opF32.call(kernel),
      ...advance(A, op.localGet(A_TILE)),
      ...advance(C, op.localGet(C_TILE)),
      ...countDown(TILES),
      ...op.end,
    ],
  };
}

/**
 * compact(c, rows, nBytes, nPadBytes, n): moves rows 1..rows of a padded C (rows nPadBytes
 * apart) to nBytes apart, in place, one float at a time in ascending order (a row only moves
 * down, so nothing is overwritten before it is read): C's valid part becomes one block, copied
 * out at once instead of a row at a time (a typed-array view per row cost more than the product
 * for C of a few columns).
 */
function compactFunc(): FuncDef {
  const [C, ROWS, NB, NPB, NF] = [0, 1, 2, 3, 4];
  const [SRC, DST, S, D, J] = [5, 6, 7, 8, 9];
  return {
    name: 'compact',
    params: [I32, I32, I32, I32, I32],
    locals: [[5, I32]],
    body: [
      ...op.localGet(C),
      ...op.localSet(SRC),
      ...op.localGet(C),
      ...op.localSet(DST),
      ...op.loop,
      ...advance(SRC, op.localGet(NPB)),
      ...advance(DST, op.localGet(NB)),
      ...op.localGet(SRC),
      ...op.localSet(S),
      ...op.localGet(DST),
      ...op.localSet(D),
      ...op.localGet(NF),
      ...op.localSet(J),
      ...op.loop,
      ...op.localGet(D),
      ...op.localGet(S),
      ...opF32.f32Load(0),
      ...opF32.f32Store(0),
      ...advance(S, op.i32Const(4)),
      ...advance(D, op.i32Const(4)),
      ...countDown(J),
      ...op.end,
      ...countDown(ROWS),
      ...op.end,
    ],
  };
}

/**
 * biasRows(c, rows, b, quads): c[r][q] ← c[r][q] + b[q] (f32x4.add, each sum rounded once to
 * float32) for `rows` rows of `quads` f32x4 each, one after the other (a padded C): a Linear
 * layer's bias added before C leaves the module, as the Add kernel adds it (binaryRowsF32Simd's
 * f32x4.add with C first, or its JS loop, whose float64 sum rounded to float32 is the same).
 */
function biasRowsFunc(): FuncDef {
  const [C, ROWS, B, QUADS] = [0, 1, 2, 3];
  const [Q, BQ] = [4, 5];
  return {
    name: 'biasRows',
    params: [I32, I32, I32, I32],
    locals: [[2, I32]],
    body: [
      ...op.loop,
      ...op.localGet(QUADS),
      ...op.localSet(Q),
      ...op.localGet(B),
      ...op.localSet(BQ),
      ...op.loop,
      ...op.localGet(C),
      ...op.localGet(C),
      ...op.v128Load(0),
      ...op.localGet(BQ),
      ...op.v128Load(0),
      ...op.f32x4Add,
      ...op.v128Store(0),
      ...bump(C, 16),
      ...bump(BQ, 16),
      ...countDown(Q),
      ...op.end,
      ...countDown(ROWS),
      ...op.end,
    ],
  };
}

/**
 * nonFinite(src, octs, out): ORs x·0 over `octs` groups of 8 floats from src and stores the
 * result at out. x·0 is ±0 for a finite x and NaN for ±Inf or NaN, so the stored lanes have
 * their exponent bits set exactly when some x is not finite (the sparse path's precondition).
 */
function nonFiniteFunc(): FuncDef {
  const [SRC, N, OUT] = [0, 1, 2];
  const [ACC, ZERO] = [3, 4];
  const term = (offset: number): number[] => [
    ...op.localGet(ACC),
    ...op.localGet(SRC),
    ...op.v128Load(offset),
    ...op.localGet(ZERO),
    ...op.f32x4Mul,
    ...op.v128Or,
    ...op.localSet(ACC),
  ];
  return {
    name: 'nonFinite',
    params: [I32, I32, I32],
    locals: [[2, V128]],
    body: [
      ...op.loop,
      ...term(0),
      ...term(16),
      ...bump(SRC, 32),
      ...countDown(N),
      ...op.end,
      ...op.localGet(OUT),
      ...op.localGet(ACC),
      ...op.v128Store(0),
    ],
  };
}

/**
 * sparseRows(a, kc, tiles, list, cnt, rowBytes): for each row r of a packed A block (row-quads,
 * `tiles` of them), the list of its nonzero entries in order of p: (value, p·rowBytes: where row p
 * of B starts, 32 in the packed panel) pairs of 4-byte words
 * at list + r·kc·8, their count at cnt + 4r, and the total over all rows at cnt + 16·tiles.
 * Branch-free: every entry is written and the end of the list moves on only when the value
 * is not ±0 (its bits shifted left by one are not 0; NaN and ±Inf are kept).
 */
function sparseRowsFunc(): FuncDef {
  const [A, KC, TILES, LIST, CNT, ROWB] = [0, 1, 2, 3, 4, 5];
  const [SRC, DST, P, BOFF, BITS, ROW, TOTAL] = [6, 7, 8, 9, 10, 11, 12];
  const body: number[] = [];
  for (let lane = 0; lane < MR; lane++) {
    body.push(
      ...op.localGet(A),
      ...op.i32Const(4 * lane),
      ...op.i32Add,
      ...op.localSet(SRC),
      ...op.localGet(LIST),
      ...op.localTee(ROW),
      ...op.localSet(DST),
      ...op.i32Const(0),
      ...op.localSet(BOFF),
      ...op.localGet(KC),
      ...op.localSet(P),
      ...op.loop,
      ...op.localGet(SRC),
      ...op.i32Load(0),
      ...op.localSet(BITS),
      ...op.localGet(DST),
      ...op.localGet(BITS),
      ...op.i32Store(0),
      ...op.localGet(DST),
      ...op.localGet(BOFF),
      ...op.i32Store(4),
      ...advance(DST, [
        ...op.i32Const(8),
        ...op.i32Const(0),
        ...op.localGet(BITS),
        ...op.i32Const(1),
        ...op.i32Shl,
        ...op.select,
      ]),
      ...bump(SRC, 4 * MR),
      ...advance(BOFF, op.localGet(ROWB)),
      ...countDown(P),
      ...op.end,
      // count = (dst − row) / 8
      ...op.localGet(CNT),
      ...op.localGet(DST),
      ...op.localGet(ROW),
      ...op.i32Sub,
      ...op.i32Const(3),
      ...op.i32ShrU,
      ...op.i32Store(4 * lane),
      ...advance(TOTAL, [...op.localGet(DST), ...op.localGet(ROW), ...op.i32Sub]),
      ...advance(LIST, [...op.localGet(KC), ...op.i32Const(3), ...op.i32Shl]),
    );
  }
  return {
    name: 'sparseRows',
    params: [I32, I32, I32, I32, I32, I32],
    locals: [[7, I32]],
    body: [
      ...op.i32Const(0),
      ...op.localSet(TOTAL),
      ...op.loop,
      ...body,
      ...advance(A, [...op.localGet(KC), ...op.i32Const(4), ...op.i32Shl]),
      ...bump(CNT, 4 * MR),
      ...countDown(TILES),
      ...op.end,
      ...op.localGet(CNT),
      ...op.localGet(TOTAL),
      ...op.i32Const(3),
      ...op.i32ShrU,
      ...op.i32Store(0),
    ],
  };
}

/**
 * sparse{8·g}(list, cnt, rows, b, groupBytes, c, ldcBytes, blocks, listRowBytes): C += A·B over
 * one k-block for A given as sparseRows' lists, `blocks` blocks of g column-octets of B (the
 * octets groupBytes apart: packed panels, or adjacent in B's rows as copied) one after the
 * other: for each block and row, 2g f32x4 accumulators from 0 add a·B(p, ·)
 * for the row's entries (a, p) in order, then add into the row of C, as the micro-kernel does.
 * The entries left out are the zeros of A: with every value of B finite their products are ±0,
 * and an accumulator from +0 is never −0, so adding them changes no bit. Rows with no entry
 * add +0 (C keeps its bits as with the micro-kernel). `store`: the first k-block, rows written
 * instead of added onto (see intoTile); C's padding rows past `rows` are then left unwritten,
 * and nothing reads them.
 */
function sparseFunc(g: number, store: boolean): FuncDef {
  const [LIST, CNT, ROWS, B, G, C, LDC, BLOCKS, LROW] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [L, N, R, CNTP, CROW, LROW0, PB] = [9, 10, 11, 12, 13, 14, 15];
  const acc = (i: number): number => 16 + i;
  const AV = 16 + 2 * g;
  const entry: number[] = [
    ...op.localGet(L),
    ...op.v128Load32Splat(0),
    ...op.localSet(AV),
    ...op.localGet(B),
    ...op.localGet(L),
    ...op.i32Load(4),
    ...op.i32Add,
    ...op.localSet(PB),
  ];
  for (let q = 0; q < g; q++) {
    if (q > 0) entry.push(...advance(PB, op.localGet(G)));
    for (let h = 0; h < 2; h++)
      entry.push(
        ...op.localGet(acc(2 * q + h)),
        ...op.localGet(AV),
        ...op.localGet(PB),
        ...op.v128Load(16 * h),
        ...op.f32x4Mul,
        ...op.f32x4Add,
        ...op.localSet(acc(2 * q + h)),
      );
  }
  const row: number[] = [];
  for (let i = 0; i < 2 * g; i++) row.push(...op.v128Zero, ...op.localSet(acc(i)));
  row.push(
    ...op.localGet(LROW0),
    ...op.localSet(L),
    ...op.localGet(CNTP),
    ...op.i32Load(0),
    ...op.localSet(N),
    ...op.block,
    ...op.localGet(N),
    ...op.i32Eqz,
    ...op.brIf(0),
    ...op.loop,
    ...entry,
    ...bump(L, 8),
    ...countDown(N),
    ...op.end,
    ...op.end,
  );
  for (let i = 0; i < 2 * g; i++) row.push(...intoTile(store, CROW, 16 * i, acc(i)));
  row.push(...advance(CROW, op.localGet(LDC)), ...advance(LROW0, op.localGet(LROW)), ...bump(CNTP, 4));
  return {
    name: `${g === 1 ? 'sparse8' : 'sparseWide'}${store ? 'Store' : ''}`,
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [
      [7, I32],
      [2 * g + 1, V128],
    ],
    body: [
      ...op.loop,
      ...op.localGet(LIST),
      ...op.localSet(LROW0),
      ...op.localGet(CNT),
      ...op.localSet(CNTP),
      ...op.localGet(C),
      ...op.localSet(CROW),
      ...op.localGet(ROWS),
      ...op.localSet(R),
      ...op.loop,
      ...row,
      ...countDown(R),
      ...op.end,
      ...advance(B, [...op.localGet(G), ...op.i32Const(g), ...op.i32Mul]),
      ...bump(C, 32 * g),
      ...countDown(BLOCKS),
      ...op.end,
    ],
  };
}

type PackFn = (
  src: number,
  rsBytes: number,
  csBytes: number,
  kc: number,
  dst: number,
  groups: number,
  groupBytes: number,
) => void;

type StripFn = (
  kc: number,
  a: number,
  b: number,
  c: number,
  ldc: number,
  tiles: number,
  aTile: number,
  cTile: number,
) => void;

interface Instance {
  memory: WasmMemory;
  /** The strips adding into C, and writing it (the first k-block). */
  strip: StripFn;
  stripStore: StripFn;
  /** The same on MR×4 tiles (a C of at most 4 columns, B packed in column-quads). */
  strip4: StripFn;
  strip4Store: StripFn;
  compact: (c: number, rows: number, nBytes: number, nPadBytes: number, n: number) => void;
  biasRows: (c: number, rows: number, b: number, quads: number) => void;
  addTo: (dst: number, src: number, quads: number) => void;
  packPart: PackFn;
  /** Packers of 4 and 8 columns: strided, and for contiguous rows (fields, not keys built per call). */
  pack4: PackFn;
  pack4c: PackFn;
  pack8: PackFn;
  pack8c: PackFn;
  /** Packers of 4 and 8 columns whose rows are adjacent (kc a multiple of 4; kc / 4 in place of kc). */
  pack4t: PackFn;
  pack8t: PackFn;
  nonFinite: (src: number, octs: number, out: number) => void;
  sparseRows: (a: number, kc: number, tiles: number, list: number, cnt: number, rowBytes: number) => void;
  /** The sparse kernels on blocks of 32 and of 8 columns (see sparseFunc). */
  sparseWide: SparseFn;
  sparse8: SparseFn;
  sparseWideStore: SparseFn;
  sparse8Store: SparseFn;
}

type SparseFn = (
  list: number,
  cnt: number,
  rows: number,
  b: number,
  groupBytes: number,
  c: number,
  ldcBytes: number,
  blocks: number,
  listRowBytes: number,
) => void;

let instance: Instance | null | undefined;

/** The compiled kernel, or null where WebAssembly SIMD is unavailable (the JS kernel is used then). */
function getInstance(): Instance | null {
  if (instance !== undefined) return instance;
  const packs = [4, 8].flatMap((w) => [packFunc(w, false), packFunc(w, true)]);
  // Functions are numbered in this order: the strips call 0 and 1, the 4-column strips the two
  // kernels appended after the others.
  const funcs: FuncDef[] = [
    { name: 'k4x8', params: [I32, I32, I32, I32, I32], locals: [[2 * MR + 3, V128]], body: microKernel(false) },
    { name: 'k4x8Store', params: [I32, I32, I32, I32, I32], locals: [[2 * MR + 3, V128]], body: microKernel(true) },
    stripFunc('strip', 0),
    stripFunc('stripStore', 1),
    compactFunc(),
    addIntoFunc('addTo'),
    packPartFunc(),
    ...packs,
    packTransposedFunc(4),
    packTransposedFunc(8),
    nonFiniteFunc(),
    sparseRowsFunc(),
    sparseFunc(SPARSE_GROUPS, false),
    sparseFunc(1, false),
    sparseFunc(SPARSE_GROUPS, true),
    sparseFunc(1, true),
  ];
  const first4 = funcs.length;
  funcs.push(
    { name: 'k4x4', params: [I32, I32, I32, I32, I32], locals: [[2 * MR + 3, V128]], body: microKernel(false, 1) },
    { name: 'k4x4Store', params: [I32, I32, I32, I32, I32], locals: [[2 * MR + 3, V128]], body: microKernel(true, 1) },
    stripFunc('strip4', first4),
    stripFunc('strip4Store', first4 + 1),
    biasRowsFunc(),
  );
  instance = instantiateKernels<Instance>(funcs, 1);
  return instance;
}

export function simdGemmAvailable(): boolean {
  return getInstance() !== null;
}

const KC = 256;
/** Rows of C at least this wide are copied out one by one; narrower ones are compacted first. */
const WIDE_ROW = 64;
const MC = MR * Math.floor(64 / MR);

/**
 * C[m×n] (row-major at c[cOff + i·n + j]) = A·B (or += when accumulate), float32 operands.
 * `bias` (n values, not with accumulate): C[i, j] + bias[j], each sum rounded once to float32,
 * added in the module before C is copied out (a Linear layer's x·Wᵀ + b: the bits of the product
 * followed by the Add kernel). Returns false (doing nothing) when WebAssembly SIMD is unavailable.
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
  bias?: Float32Array,
): boolean {
  const inst = getInstance();
  if (bias !== undefined && (accumulate || bias.length < n)) {
    throw new Error('gemmF32Simd: a bias needs n values and no accumulation.');
  }
  if (inst === null) return false;
  const mPad = Math.ceil(m / MR) * MR;
  // Columns of a tile: 8, or 4 for a C of at most 4 columns (an output layer of 2 or 3 classes,
  // dW₁ of 2 inputs), which then does half the padded work.
  const nr = n <= 4 ? 4 : 8;
  const nPad = (n + nr - 1) & -nr;
  const kc0 = Math.min(KC, k);
  const cBytes = mPad * nPad * 4;
  const aBytes = mPad * kc0 * 4;
  const bBytes = kc0 * nPad * 4;
  // The operands' spans are copied in whole (a memcpy) and packed from there by the module.
  const aSpan = (m - 1) * A.rs + (k - 1) * A.cs + 1;
  const bSpan = (k - 1) * B.rs + (n - 1) * B.cs + 1;
  const aRawPtr = cBytes + aBytes + bBytes;
  const bRawPtr = aRawPtr + ((aSpan + 3) & ~3) * 4;
  // The sparse path's room after B's span: B zero-padded to whole octets, nonFinite's result,
  // the lists of a chunk of A's rows (8 bytes an entry) and their counts.
  const trySparse = nPad >= 32 && m * n * k >= SPARSE_MIN_WORK && zeroShare(m, k, A) >= SPARSE_SAMPLE_ZEROS;
  const bEnd = bRawPtr + ((bSpan + 7) & ~7) * 4;
  const listPtr = bEnd + 16;
  const chunk = Math.min(mPad, SPARSE_ROWS);
  const cntPtr = listPtr + chunk * kc0 * 8;
  // One view of the whole memory, indexed in floats (views per region cost more than a small
  // product); pointers below are in bytes, as the module takes them.
  // NOTE: a 32-bit memory tops out at 4 GiB (less if the host refuses): the JS kernel takes over.
  // A bias row (zero-padded to nPad) after everything else.
  const end = trySparse ? cntPtr + chunk * 4 + 16 : bRawPtr + bSpan * 4;
  const biasPtr = (end + 15) & ~15;
  const mem = viewOf(inst, bias === undefined ? end : biasPtr + nPad * 4);
  if (mem === null) return false;
  const cPtr = 0;
  const aPtr = cBytes;
  const bPtr = cBytes + aBytes;
  copySpan(mem, aRawPtr >> 2, A.data as Float32Array, A.off, aSpan);
  copySpan(mem, bRawPtr >> 2, B.data as Float32Array, B.off, bSpan);
  // C is written by the first k-block's kernels (tile ← acc) and added onto by the others.
  if (k === 0) mem.fill(0, 0, mPad * nPad);
  // The zeros of A can be skipped only when B has no ±Inf or NaN (whose product with 0 is NaN).
  let sparse = false;
  if (trySparse) {
    mem.fill(0, (bRawPtr >> 2) + bSpan, bEnd >> 2);
    inst.nonFinite(bRawPtr, (bEnd - bRawPtr) >> 5, bEnd);
    const at = bEnd >> 2;
    const ints = memory.i32;
    sparse = ((ints[at] | ints[at + 1] | ints[at + 2] | ints[at + 3]) & 0x7f800000) === 0;
  }
  for (let pc = 0; pc < k; pc += KC) {
    const store = pc === 0;
    const strip = nr === 4 ? (store ? inst.strip4Store : inst.strip4) : store ? inst.stripStore : inst.strip;
    const kc = Math.min(KC, k - pc);
    // A's row blocks are panels of Aᵀ (see packRows): A with its strides swapped.
    packPanel(inst, mem, aRawPtr, A, true, pc, kc, m, MR, aPtr);
    // The sparse kernel reads B where it was copied when B's rows are contiguous (dW₁'s X),
    // from the packed panel otherwise. (Reading a row's last octet may run past n into the next
    // row or the zeroed padding: that only feeds C's padding columns, which are not copied out.)
    const inPlace = sparse && B.cs === 1;
    let packed = !inPlace;
    if (packed) packPanel(inst, mem, bRawPtr, B, false, pc, kc, n, nr, bPtr);
    // Chunks of rows (A's lists take a chunk's room): each runs the sparse kernel when its part
    // of A is sparse enough, the micro-kernel otherwise.
    for (let r0 = 0; r0 < mPad; r0 += SPARSE_ROWS) {
      const r1 = Math.min(mPad, r0 + SPARSE_ROWS);
      if (sparse) {
        const chunkRows = { r0, r1, valid: Math.min(m, r1) - r0 };
        const b = inPlace
          ? { at: bRawPtr + pc * B.rs * 4, rowBytes: B.rs * 4, groupBytes: 32 }
          : { at: bPtr, rowBytes: 32, groupBytes: kc * 32 };
        if (sparseBlock(inst, store, chunkRows, nPad, kc, aPtr, b, cPtr, listPtr, cntPtr)) continue;
      }
      if (!packed) {
        packPanel(inst, mem, bRawPtr, B, false, pc, kc, n, nr, bPtr);
        packed = true;
      }
      for (let ic = r0; ic < r1; ic += MC) {
        const icEnd = Math.min(r1, ic + MC);
        const tiles = (icEnd - ic) / MR;
        for (let jr = 0; jr < nPad; jr += nr)
          strip(
            kc,
            aPtr + ic * kc * 4,
            bPtr + jr * kc * 4,
            cPtr + (ic * nPad + jr) * 4,
            nPad * 4,
            tiles,
            MR * kc * 4,
            MR * nPad * 4,
          );
      }
    }
  }
  if (bias !== undefined) {
    copySpan(mem, biasPtr >> 2, bias, 0, n);
    if (nPad > n) mem.fill(0, (biasPtr >> 2) + n, (biasPtr >> 2) + nPad);
    inst.biasRows(cPtr, m, biasPtr, nPad >> 2);
  }
  // C's valid part out. Wide rows: a copy per row (TypedArray.set is a memcpy); narrow ones are
  // first moved together by the module, then copied at once.
  if (nPad !== n && n >= WIDE_ROW && !accumulate) {
    for (let i = 0; i < m; i++) c.set(mem.subarray(i * nPad, i * nPad + n), cOff + i * n);
    return true;
  }
  if (nPad !== n && m > 1) inst.compact(cPtr, m - 1, n * 4, nPad * 4, n);
  if (!accumulate) {
    c.set(outViews.get(mem, 0, m * n), cOff);
    return true;
  }
  // c += C: c's block is copied in after the operands and the module adds C to it (float32
  // sums, as the JS loop `c[i] += C[i]`), then it goes back.
  const tPtr = (bRawPtr + bSpan * 4 + 15) & ~15;
  const quads = (m * n + 3) >> 2;
  const grown = viewOf(inst, tPtr + quads * 16);
  if (grown === null) {
    for (let i = 0; i < m * n; i++) c[cOff + i] += mem[i];
    return true;
  }
  copySpan(grown, tPtr >> 2, c, cOff, m * n);
  inst.addTo(tPtr, cPtr, quads);
  c.set(grown.subarray(tPtr >> 2, (tPtr >> 2) + m * n), cOff);
  return true;
}

/**
 * Column-octets per block of the sparse kernel: 3 (24 columns, 6 accumulators) leaves V8 room
 * for the splat and B's six vectors in registers; at 4 it spilled an accumulator to the stack.
 */
const SPARSE_GROUPS = 3;
/** Rows of A listed at a time (their lists take rows · kc · 8 bytes of the module's memory). */
const SPARSE_ROWS = 256;
/** Products with fewer multiply-adds than this always take the dense micro-kernel. */
const SPARSE_MIN_WORK = 1 << 16;
/** Elements of A looked at to guess whether it has enough zeros to try the sparse path. */
const SPARSE_SAMPLES = 32;
/** The share of zeros among those samples from which the sparse path is tried… */
const SPARSE_SAMPLE_ZEROS = 0.25;
/**
 * …and the largest share of nonzeros of A (counted exactly, per k-block) it takes. Measured on
 * the MLP's products (128×784×64 and 64×128×784): the sparse kernel breaks even with the
 * micro-kernel at 60–75 % nonzeros, and takes 0.63× its time at 50 %.
 */
const SPARSE_MAX_FILL = 0.65;
/** Blocks run by the sparse kernel since start (the tests check that the path ran). */
let sparseBlocksRun = 0;
export const sparseBlockCount = (): number => sparseBlocksRun;

/**
 * The zeros of A left out of the product (a ReLU layer's gradient has about half its entries
 * 0, an image batch often more): per k-block, A's nonzero entries are listed row by row and
 * each is multiplied into 32 columns of B at a time (see sparseFunc: the same bits as the
 * micro-kernel). False (nothing done) when A has too few zeros in this block to pay.
 */
function sparseBlock(
  inst: Instance,
  store: boolean,
  rows: { r0: number; r1: number; valid: number },
  nPad: number,
  kc: number,
  aPtr: number,
  b: { at: number; rowBytes: number; groupBytes: number },
  cPtr: number,
  listPtr: number,
  cntPtr: number,
): boolean {
  const { r0, r1, valid: m } = rows;
  const { at: bPtr, groupBytes } = b;
  inst.sparseRows(aPtr + r0 * kc * 4, kc, (r1 - r0) / MR, listPtr, cntPtr, b.rowBytes);
  if (memory.i32[(cntPtr >> 2) + r1 - r0] > SPARSE_MAX_FILL * (r1 - r0) * kc) return false;
  sparseBlocksRun++;
  cPtr += r0 * nPad * 4;
  const groups = nPad >> 3;
  const blocks = Math.floor(groups / SPARSE_GROUPS);
  if (blocks > 0)
    (store ? inst.sparseWideStore : inst.sparseWide)(
      listPtr,
      cntPtr,
      m,
      bPtr,
      groupBytes,
      cPtr,
      nPad * 4,
      blocks,
      kc * 8,
    );
  const done = blocks * SPARSE_GROUPS;
  if (done < groups)
    (store ? inst.sparse8Store : inst.sparse8)(
      listPtr,
      cntPtr,
      m,
      bPtr + done * groupBytes,
      groupBytes,
      cPtr + done * 32,
      nPad * 4,
      groups - done,
      kc * 8,
    );
  return true;
}

/** The share of zeros (either sign) among SPARSE_SAMPLES elements of A spread over it. */
function zeroShare(m: number, k: number, A: GemmOperand): number {
  const total = m * k;
  const samples = Math.min(SPARSE_SAMPLES, total);
  let zeros = 0;
  for (let t = 0; t < samples; t++) {
    const at = (t * 104729) % total;
    const i = Math.floor(at / k);
    if (A.data[A.off + i * A.rs + (at - i * k) * A.cs] === 0) zeros++;
  }
  return zeros / samples;
}

/** The module's memory as float32 and int32 (the sparse path's counts and checks). */
const memory = new MemoryView();
/** C's valid part, copied out (kept views of the memory). */
const outViews = new SpanViews();
const viewOf = (inst: Instance, bytes: number): Float32Array | null => memory.of(inst.memory, bytes);

/** mem[at : at+span] = src[off : off+span], without a subarray when that is all of src. */
function copySpan(mem: Float32Array, at: number, src: Float32Array, off: number, span: number): void {
  mem.set(off === 0 && span === src.length ? src : src.subarray(off, off + span), at);
}

/**
 * packColumns(X, p0, kc, 0, cols, w, dst) (X with rs and cs swapped when `transposed`) for an
 * operand whose span (from X.off) has been copied to `raw` in the module's memory, by the module:
 * whole groups of w columns, then the last partial group into a zeroed group (packPart).
 */
function packPanel(
  inst: Instance,
  mem: Float32Array,
  raw: number,
  X: GemmOperand,
  transposed: boolean,
  p0: number,
  kc: number,
  cols: number,
  w: number,
  dst: number,
): void {
  const rs = transposed ? X.cs : X.rs;
  const cs = transposed ? X.rs : X.cs;
  const groups = Math.floor(cols / w);
  if (groups > 0) {
    if (rs === 1 && cs !== 1 && (kc & 3) === 0) {
      (w === 4 ? inst.pack4t : inst.pack8t)(raw + p0 * 4, 4, cs * 4, kc >> 2, dst, groups, w * cs * 4);
    } else {
      const pack = w === 4 ? (cs === 1 ? inst.pack4c : inst.pack4) : cs === 1 ? inst.pack8c : inst.pack8;
      pack(raw + p0 * rs * 4, rs * 4, cs * 4, kc, dst, groups, w * cs * 4);
    }
  }
  const done = groups * w;
  if (done < cols) {
    const d = dst + done * kc * 4;
    mem.fill(0, d >> 2, (d >> 2) + kc * w);
    inst.packPart(raw + (p0 * rs + done * cs) * 4, rs * 4, cs * 4, kc, d, cols - done, w * 4);
  }
}
