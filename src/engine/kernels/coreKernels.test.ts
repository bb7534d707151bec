import { describe, it, expect } from 'vitest';
import { Rng } from '../tensor/rng';
import { sizeOf } from '../tensor/shape';
import type { BinaryOp } from './binaryImpl';
import { binaryImpl, binaryNaive } from './binaryImpl';
import type { UnaryOp } from './unaryImpl';
import { unaryImpl, unaryNaive } from './unaryImpl';
import { reduceImpl, reduceNaive, reducedShape } from './reduceImpl';
import { softmaxImpl, softmaxNaive } from './softmaxImpl';
import { transposeImpl, transposeNaive } from './Transpose';
import { sliceImpl, sliceNaive } from './Slice';
import { padAxisImpl, padAxisNaive } from './PadAxis';
import { concatImpl, concatNaive } from './Concat';
import { gatherImpl, gatherNaive } from './Gather';
import { scatterAddImpl, scatterAddNaive } from './ScatterAdd';
import { scatterAlongAxisImpl, scatterAlongAxisNaive, takeAlongAxisImpl, takeAlongAxisNaive } from './TakeAlongAxis';
import { whereImpl, whereNaive } from './Where';
import { broadcastToImpl, broadcastToNaive } from './BroadcastTo';
import { gemm, gemmNaive } from './gemm/gemm';
import { gemmJs } from './gemm/gemmJs';
import { broadcastShapes } from '../tensor/shape';
import { activationGradImpl, activationGradNaive } from './activationGradImpl';

const rng = new Rng(7);
const rand = (n: number, lo = -2, hi = 2): Float64Array => Float64Array.from({ length: n }, () => rng.uniform(lo, hi));
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(b[i])) expect(a[i]).toBeNaN();
    else if (a[i] !== b[i]) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i])));
  }
};

describe('core kernels match their naive twins', () => {
  const shapes: [number[], number[]][] = [
    [
      [3, 4],
      [3, 4],
    ],
    [[3, 4], [4]],
    [[4], [3, 4]],
    [
      [2, 1, 4],
      [3, 1],
    ],
    [[], [5]],
    [
      [2, 3],
      [2, 1],
    ],
    [
      [1, 3, 1],
      [2, 1, 4],
    ],
  ];
  for (const op of ['add', 'mul', 'div', 'greater', 'greaterEqual', 'equal', 'maximum', 'minimum'] as BinaryOp[]) {
    it(`binary ${op}`, () => {
      for (const [sa, sb] of shapes) {
        const a = rand(sizeOf(sa));
        const b = op === 'equal' ? a.slice(0, sizeOf(sb)) : rand(sizeOf(sb));
        const os = broadcastShapes(sa, sb);
        const out = new Float32Array(sizeOf(os));
        binaryImpl(op, a, sa, b, sb, out, os);
        close(out, Float32Array.from(binaryNaive(op, a, sa, b, sb, os)));
      }
    });
  }

  it('binary ops with an operand repeating over trailing axes ([N, 1] against [N, C]): the index tables’ bits', () => {
    const specials = [0, -0, Infinity, -Infinity, NaN, 1e-45, -3.4e38, 3.4e38];
    const pairs: [number[], number[]][] = [
      [
        [32, 3],
        [32, 1],
      ],
      [
        [32, 1],
        [32, 3],
      ],
      [
        [2, 3, 4],
        [2, 1, 1],
      ],
      [
        [2, 3, 4],
        [2, 3, 1],
      ],
      [
        [1, 5, 2],
        [5, 1],
      ],
      [
        [4, 1],
        [4, 6],
      ],
    ];
    for (const op of ['add', 'mul', 'div', 'greater', 'greaterEqual', 'equal', 'maximum', 'minimum'] as BinaryOp[]) {
      for (const [sa, sb] of pairs) {
        for (const f32 of [true, false]) {
          const fill = (n: number): Float32Array | Float64Array => {
            const v = Float64Array.from({ length: n }, (_, i) =>
              i % 3 === 0 ? specials[(i / 3) % specials.length] : rng.uniform(-2, 2),
            );
            return f32 ? Float32Array.from(v) : v;
          };
          const a = fill(sizeOf(sa));
          const b = fill(sizeOf(sb));
          const os = broadcastShapes(sa, sb);
          const ref = binaryNaive(op, a, sa, b, sb, os);
          const out = f32 ? new Float32Array(sizeOf(os)) : new Float64Array(sizeOf(os));
          binaryImpl(op, a, sa, b, sb, out, os);
          expect(Array.from(out)).toEqual(Array.from(f32 ? Float32Array.from(ref) : Float64Array.from(ref)));
        }
      }
    }
  });

  it('unary ops (float32 and float64)', () => {
    const ops: UnaryOp[] = [
      'neg',
      'exp',
      'log',
      'sqrt',
      'abs',
      'sign',
      'pow',
      'relu',
      'leakyRelu',
      'sigmoid',
      'tanh',
      'softplus',
      'copy',
    ];
    const x = rand(50, -5, 5);
    x[0] = 0;
    for (const op of ops) {
      const param = op === 'pow' ? 3 : 0.2;
      const o64 = new Float64Array(50);
      unaryImpl(op, x, o64, 50, param);
      close(o64, unaryNaive(op, x, param), 1e-12);
      const o32 = new Float32Array(50);
      unaryImpl(op, Float32Array.from(x), o32, 50, param);
      close(o32, Float32Array.from(unaryNaive(op, Float32Array.from(x), param)), 1e-6);
    }
  });

  it('sigmoid does not overflow', () => {
    const out = new Float64Array(2);
    unaryImpl('sigmoid', Float64Array.from([-1000, 1000]), out, 2);
    expect([...out]).toEqual([0, 1]);
  });

  it('reductions over every axis set', () => {
    const shape = [2, 3, 4];
    const x = rand(24);
    const sets = [[], [0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]];
    for (const op of ['sum', 'max'] as const) {
      for (const axes of sets) {
        const out = new Float64Array(sizeOf(reducedShape(shape, axes, false)));
        reduceImpl(op, x, shape, axes, out);
        close(out, reduceNaive(op, x, shape, axes));
      }
    }
  });

  it('softmax family along an inner axis, stable for large inputs', () => {
    for (const [outer, n, inner] of [
      [1, 5, 1],
      [3, 4, 2],
      [2, 1, 3],
    ]) {
      const x = rand(outer * n * inner, -50, 50);
      for (const op of ['softmax', 'logSoftmax', 'logSumExp'] as const) {
        const out = new Float64Array(op === 'logSumExp' ? outer * inner : outer * n * inner);
        softmaxImpl(op, x, out, outer, n, inner);
        close(out, softmaxNaive(op, x, outer, n, inner), 1e-10);
      }
    }
    const big = Float64Array.from([1000, 1001, 1002]);
    const out = new Float64Array(3);
    softmaxImpl('softmax', big, out, 1, 3, 1);
    expect(out.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('transpose and permutations', () => {
    for (const [shape, perm] of [
      [
        [37, 45],
        [1, 0],
      ],
      [
        [2, 3, 4],
        [2, 0, 1],
      ],
      [
        [2, 3, 4],
        [0, 2, 1],
      ],
      [
        [1, 2, 1, 3],
        [3, 1, 0, 2],
      ],
    ] as [number[], number[]][]) {
      const x = rand(sizeOf(shape));
      const out = new Float64Array(x.length);
      transposeImpl(x, shape, perm, out);
      close(out, transposeNaive(x, shape, perm));
    }
  });

  it('slice, pad, concat', () => {
    const x = rand(2 * 5 * 3);
    const o = new Float64Array(2 * 2 * 3);
    sliceImpl(x, 2, 5, 3, 1, 2, o);
    close(o, sliceNaive(x, 2, 5, 3, 1, 2));
    const p = new Float64Array(2 * 8 * 3);
    padAxisImpl(x, 2, 5, 3, 1, 2, p);
    close(p, padAxisNaive(x, 2, 5, 3, 1, 2));
    const a = rand(2 * 2 * 3);
    const b = rand(2 * 4 * 3);
    const c = new Float64Array(2 * 6 * 3);
    concatImpl([a, b], [2, 4], 2, 3, c);
    close(c, concatNaive([a, b], [2, 4], 2, 3));
  });

  it('gather, scatterAdd, takeAlongAxis, scatterAlongAxis', () => {
    const x = rand(2 * 5 * 3);
    const idx = Int32Array.from([4, 0, 4, 2]);
    const g = new Float64Array(2 * 4 * 3);
    gatherImpl(x, 2, 5, 3, idx, g);
    close(g, gatherNaive(x, 2, 5, 3, idx));
    const s = new Float64Array(2 * 5 * 3);
    scatterAddImpl(g, 2, 5, 3, idx, s);
    close(s, scatterAddNaive(g, 2, 5, 3, idx));
    const tIdx = Int32Array.from({ length: 2 * 2 * 3 }, () => rng.int(5));
    const t = new Float64Array(2 * 2 * 3);
    takeAlongAxisImpl(x, 2, 5, 3, 2, tIdx, t);
    close(t, takeAlongAxisNaive(x, 2, 5, 3, 2, tIdx));
    const sa = new Float64Array(2 * 5 * 3);
    scatterAlongAxisImpl(t, 2, 5, 3, 2, tIdx, sa);
    close(sa, scatterAlongAxisNaive(t, 2, 5, 3, 2, tIdx));
  });

  it('where and broadcastTo', () => {
    const c = Float64Array.from([1, 0, 1]);
    const a = rand(6);
    const b = rand(2);
    const out = new Float64Array(6);
    whereImpl(c, [3], a, [2, 3], b, [2, 1], out, [2, 3]);
    close(out, whereNaive(c, [3], a, [2, 3], b, [2, 1], [2, 3]));
    const bt = new Float64Array(12);
    broadcastToImpl(b, [2, 1], bt, [3, 2, 2]);
    close(bt, broadcastToNaive(b, [2, 1], [3, 2, 2]));
  });

  it('gemm (packed, register-tiled) matches the triple loop for odd sizes and transposes', () => {
    const sizes = [
      [1, 1, 1],
      [3, 5, 7],
      [17, 13, 9],
      [64, 64, 64],
      [65, 130, 257],
      [100, 3, 600],
      [5, 530, 20],
    ];
    for (const [m, n, k] of sizes) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const a = rand(m * k);
          const b = rand(k * n);
          const A = { data: a, off: 0, rs: ta ? 1 : k, cs: ta ? m : 1 };
          const B = { data: b, off: 0, rs: tb ? 1 : n, cs: tb ? k : 1 };
          const c = new Float64Array(m * n);
          gemm(m, n, k, A, B, c, 0, false);
          const ref = gemmNaive(m, n, k, A, B);
          const cj = new Float64Array(m * n);
          gemmJs(m, n, k, A, B, cj, 0, false);
          close(cj, ref, 1e-12);
          close(c, ref, 1e-12);
          gemm(m, n, k, A, B, c, 0, true);
          close(
            c,
            ref.map((v) => 2 * v),
            1e-12,
          );
          const A32 = { ...A, data: Float32Array.from(a) };
          const B32 = { ...B, data: Float32Array.from(b) };
          const ref32 = gemmNaive(m, n, k, A32, B32);
          const c32 = new Float32Array(m * n);
          // The JS kernel accumulates in double within a K block, rounding to float32 between blocks.
          gemmJs(m, n, k, A32, B32, c32, 0, false);
          close(c32, ref32, 1e-5);
          // gemm dispatches float32 to the SIMD kernel, which accumulates in float32.
          gemm(m, n, k, A32, B32, c32, 0, false);
          close(c32, ref32, 1e-5 * Math.sqrt(k));
        }
      }
    }
  });
});

describe('fused activation backward kernels match their naive twins', () => {
  it('tanh, sigmoid, relu', () => {
    const v = rand(40, -3, 3);
    v[0] = 0;
    const dy = rand(40);
    for (const op of ['tanh', 'sigmoid', 'relu'] as const) {
      const out = new Float64Array(40);
      activationGradImpl(op, v, dy, out, 40);
      close(out, activationGradNaive(op, v, dy), 1e-12);
    }
  });
});
