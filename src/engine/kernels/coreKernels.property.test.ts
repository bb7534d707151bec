import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { sizeOf, broadcastShapes } from '../tensor/shape';
import { binaryImpl, binaryNaive } from './binaryImpl';
import { reduceImpl, reduceNaive, reducedShape } from './reduceImpl';
import { transposeImpl, transposeNaive } from './Transpose';
import { gemm, gemmNaive } from './gemm/gemm';

// Random shapes (rank 0-4, dims 1-4) and a random broadcast partner: each dimension of the
// partner is either the same, 1, or dropped from the front.
const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 });
const pairArb = shapeArb.chain((s) =>
  fc
    .tuple(
      fc.array(fc.constantFrom<'same' | 'one'>('same', 'one'), { minLength: s.length, maxLength: s.length }),
      fc.integer({ min: 0, max: s.length }),
      fc.boolean(),
    )
    .map(([kinds, drop, swap]) => {
      const t = s.map((d, i) => (kinds[i] === 'same' ? d : 1)).slice(drop);
      return swap ? [t, s] : [s, t];
    }),
);
const values = (n: number, seed: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => Math.sin(seed + i * 1.7) * 3);

describe('core kernels vs naive twins on random shapes (fast-check)', () => {
  it('broadcasting binary ops', () => {
    fc.assert(
      fc.property(
        pairArb,
        fc.constantFrom('add', 'mul', 'div', 'maximum', 'greater') as fc.Arbitrary<
          'add' | 'mul' | 'div' | 'maximum' | 'greater'
        >,
        (pair, op) => {
          const [sa, sb] = pair;
          const os = broadcastShapes(sa, sb);
          const a = values(sizeOf(sa), 1);
          const b = values(sizeOf(sb), 2).map((v) => v + 3.5);
          const out = new Float64Array(sizeOf(os));
          binaryImpl(op, a, sa, b, sb, out, os);
          expect(Array.from(out)).toEqual(binaryNaive(op, a, sa, b, sb, os));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('sum and max over random axis sets', () => {
    fc.assert(
      fc.property(
        shapeArb,
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.constantFrom<'sum' | 'max'>('sum', 'max'),
        (shape, pick, op) => {
          const axes = shape.map((_, i) => i).filter((i) => pick[i]);
          const x = values(sizeOf(shape), 3);
          const out = new Float64Array(sizeOf(reducedShape(shape, axes, false)));
          reduceImpl(op, x, shape, axes, out);
          const ref = reduceNaive(op, x, shape, axes);
          ref.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 12));
        },
      ),
      { seed: 43, numRuns: 300 },
    );
  });

  it('permutations', () => {
    fc.assert(
      fc.property(
        shapeArb.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray(
              s.map((_, i) => i),
              { minLength: s.length, maxLength: s.length },
            ),
          ),
        ),
        ([shape, perm]) => {
          const x = values(sizeOf(shape), 4);
          const out = new Float64Array(x.length);
          transposeImpl(x, shape, perm, out);
          expect(Array.from(out)).toEqual(transposeNaive(x, shape, perm));
        },
      ),
      { seed: 44, numRuns: 300 },
    );
  });

  it('gemm (both paths by dtype) for random sizes and transposes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 70 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (m, n, k, ta, tb, f32) => {
          const mk = (len: number, seed: number): Float32Array | Float64Array =>
            f32 ? Float32Array.from(values(len, seed)) : values(len, seed);
          const A = { data: mk(m * k, 5), off: 0, rs: ta ? 1 : k, cs: ta ? m : 1 };
          const B = { data: mk(k * n, 6), off: 0, rs: tb ? 1 : n, cs: tb ? k : 1 };
          const c = f32 ? new Float32Array(m * n) : new Float64Array(m * n);
          gemm(m, n, k, A, B, c, 0, false);
          const ref = gemmNaive(m, n, k, A, B);
          const tol = f32 ? 1e-4 : 1e-10;
          ref.forEach((v, i) => expect(Math.abs(c[i] - v)).toBeLessThanOrEqual(tol * (1 + Math.abs(v))));
        },
      ),
      { seed: 45, numRuns: 200 },
    );
  });
});
