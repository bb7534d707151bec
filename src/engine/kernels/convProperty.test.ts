import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { computeConv2dInfo, computePool2dInfo, convOutputSize, im2colRows } from './convInfo';
import { conv2d, conv2dNaive } from './Conv2d';
import { conv2dBackpropInput, conv2dBackpropInputNaive } from './Conv2dBackpropInput';
import { conv2dBackpropFilter, conv2dBackpropFilterNaive } from './Conv2dBackpropFilter';
import { maxPool2d, maxPool2dBackward, maxPool2dBackwardNaive, maxPool2dNaive } from './MaxPool2d';
import { avgPool2d, avgPool2dBackward, avgPool2dBackwardNaive, avgPool2dNaive } from './AvgPool2d';
import { fillUniform, maxAbsDiff } from './testRandom.test-support';

// Random geometries (sizes, kernels, strides, paddings, dilations per axis) against the naive twins.
const axis = fc.record({
  size: fc.integer({ min: 1, max: 9 }),
  k: fc.integer({ min: 1, max: 4 }),
  s: fc.integer({ min: 1, max: 3 }),
  p: fc.integer({ min: 0, max: 3 }),
  d: fc.integer({ min: 1, max: 3 }),
});
const geometry = fc.record({
  n: fc.integer({ min: 1, max: 3 }),
  c: fc.integer({ min: 1, max: 3 }),
  f: fc.integer({ min: 1, max: 6 }),
  h: axis,
  w: axis,
  seed: fc.integer({ min: 1, max: 1 << 30 }),
});

describe('conv and pool kernels on random geometries', () => {
  it('conv2d forward and both gradients match the naive twins (float64)', () => {
    fc.assert(
      fc.property(geometry, (g) => {
        fc.pre(
          convOutputSize(g.h.size, g.h.k, g.h.s, g.h.p, g.h.d) >= 1 &&
            convOutputSize(g.w.size, g.w.k, g.w.s, g.w.p, g.w.d) >= 1,
        );
        const info = computeConv2dInfo(
          [g.n, g.c, g.h.size, g.w.size],
          g.f,
          { kernelSize: [g.h.k, g.w.k], stride: [g.h.s, g.w.s], padding: [g.h.p, g.w.p], dilation: [g.h.d, g.w.d] },
          'Conv2d',
        );
        const K = im2colRows(info);
        const xLen = g.n * g.c * g.h.size * g.w.size;
        const yLen = g.n * g.f * info.outHeight * info.outWidth;
        const x = fillUniform(new Float64Array(xLen), g.seed);
        const w = fillUniform(new Float64Array(g.f * K), g.seed + 1);
        const b = fillUniform(new Float64Array(g.f), g.seed + 2);
        const dy = fillUniform(new Float64Array(yLen), g.seed + 3);
        const [y, yRef] = [new Float64Array(yLen), new Float64Array(yLen)];
        const [dx, dxRef] = [new Float64Array(xLen), new Float64Array(xLen)];
        const [dw, dwRef] = [new Float64Array(w.length), new Float64Array(w.length)];
        conv2d(x, w, b, info, y);
        conv2dNaive(x, w, b, info, yRef);
        conv2dBackpropInput(dy, w, info, dx);
        conv2dBackpropInputNaive(dy, w, info, dxRef);
        conv2dBackpropFilter(x, dy, info, dw);
        conv2dBackpropFilterNaive(x, dy, info, dwRef);
        expect(maxAbsDiff(y, yRef)).toBeLessThan(1e-12);
        expect(maxAbsDiff(dx, dxRef)).toBeLessThan(1e-12);
        expect(maxAbsDiff(dw, dwRef)).toBeLessThan(1e-12);
      }),
      { numRuns: 60, seed: 4 },
    );
  });

  it('max and average pooling match the naive twins', () => {
    fc.assert(
      fc.property(geometry, fc.boolean(), (g, countIncludePad) => {
        const ph = Math.min(g.h.p, g.h.k >> 1);
        const pw = Math.min(g.w.p, g.w.k >> 1);
        fc.pre(
          convOutputSize(g.h.size, g.h.k, g.h.s, ph, 1) >= 1 && convOutputSize(g.w.size, g.w.k, g.w.s, pw, 1) >= 1,
        );
        const info = computePool2dInfo(
          [g.n, g.c, g.h.size, g.w.size],
          { kernelSize: [g.h.k, g.w.k], stride: [g.h.s, g.w.s], padding: [ph, pw] },
          'Pool',
        );
        const xLen = g.n * g.c * g.h.size * g.w.size;
        const yLen = g.n * g.c * info.outHeight * info.outWidth;
        const x = fillUniform(new Float64Array(xLen), g.seed);
        const dy = fillUniform(new Float64Array(yLen), g.seed + 1);
        const [y, yRef] = [new Float64Array(yLen), new Float64Array(yLen)];
        const [dx, dxRef] = [new Float64Array(xLen), new Float64Array(xLen)];
        maxPool2d(x, info, y);
        maxPool2dNaive(x, info, yRef);
        expect(maxAbsDiff(y, yRef)).toBe(0);
        maxPool2dBackward(dy, x, info, dx);
        maxPool2dBackwardNaive(dy, x, info, dxRef);
        expect(maxAbsDiff(dx, dxRef)).toBeLessThan(1e-12);
        avgPool2d(x, info, countIncludePad, y);
        avgPool2dNaive(x, info, countIncludePad, yRef);
        expect(maxAbsDiff(y, yRef)).toBeLessThan(1e-12);
        avgPool2dBackward(dy, info, countIncludePad, dx);
        avgPool2dBackwardNaive(dy, info, countIncludePad, dxRef);
        expect(maxAbsDiff(dx, dxRef)).toBeLessThan(1e-12);
      }),
      { numRuns: 80, seed: 5 },
    );
  });
});
