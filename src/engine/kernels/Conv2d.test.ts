import { describe, it, expect } from 'vitest';
import { computeConv2dInfo, im2colCols, im2colRows, infoScalars, type Conv2dGeometry } from './convInfo';
import { conv2d, conv2dNaive, conv2dSamples } from './Conv2d';
import { conv2dBackpropInput, conv2dBackpropInputNaive, conv2dBackpropInputSamples } from './Conv2dBackpropInput';
import { conv2dBackpropFilter, conv2dBackpropFilterNaive } from './Conv2dBackpropFilter';
import { col2im, col2imNaive, im2col, im2colNaive } from './Im2Col';
import { fillUniform, maxAbsDiff } from './testRandom.test-support';

const cases: { x: number[]; f: number; g: Conv2dGeometry }[] = [
  { x: [2, 3, 7, 6], f: 5, g: { kernelSize: 3, stride: 1 } },
  { x: [1, 2, 8, 9], f: 4, g: { kernelSize: 3, stride: 2, padding: 1 } },
  { x: [3, 1, 9, 9], f: 6, g: { kernelSize: [3, 2], stride: [2, 1], padding: [1, 0], dilation: [2, 1] } },
  { x: [2, 2, 5, 5], f: 3, g: { kernelSize: 5, stride: 1, padding: 2 } },
  { x: [1, 4, 6, 7], f: 7, g: { kernelSize: 1, stride: 1 } },
  { x: [2, 3, 10, 8], f: 9, g: { kernelSize: [2, 3], stride: [3, 2], padding: [2, 1], dilation: [3, 2] } },
  // The benchmark's second layer at batch 4: large enough for the WebAssembly SIMD gemm.
  { x: [4, 8, 13, 13], f: 16, g: { kernelSize: 3, stride: 1 } },
];

function label(c: (typeof cases)[number]): string {
  return `x=[${c.x.join(',')}] f=${c.f} ${JSON.stringify(c.g)}`;
}

describe('Im2Col', () => {
  it.each(cases)('matches its naive twin and col2im is its adjoint: %#', (c) => {
    const info = computeConv2dInfo(c.x, c.f, c.g, 'Conv2d');
    const x = fillUniform(new Float64Array(c.x.reduce((a, b) => a * b)), 1);
    const n = im2colRows(info) * im2colCols(info);
    const fast = new Float64Array(n);
    const naive = new Float64Array(n);
    im2col(x, info, fast);
    im2colNaive(x, info, naive);
    expect(maxAbsDiff(fast, naive), label(c)).toBe(0);

    const cols = fillUniform(new Float64Array(n), 2);
    const dxFast = new Float64Array(x.length);
    const dxNaive = new Float64Array(x.length);
    col2im(cols, info, dxFast);
    col2imNaive(cols, info, dxNaive);
    expect(maxAbsDiff(dxFast, dxNaive), label(c)).toBeLessThan(1e-12);
    // <im2col(x), cols> = <x, col2im(cols)>
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < n; i++) lhs += fast[i] * cols[i];
    for (let i = 0; i < x.length; i++) rhs += x[i] * dxFast[i];
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-9);
  });
});

describe('Conv2d kernels', () => {
  it.each(cases)('forward, backprop-input and backprop-filter match the naive twins: %#', (c) => {
    const info = computeConv2dInfo(c.x, c.f, c.g, 'Conv2d');
    const K = im2colRows(info);
    const xLen = c.x.reduce((a, b) => a * b);
    const yLen = info.batch * c.f * info.outHeight * info.outWidth;
    const x = fillUniform(new Float32Array(xLen), 3);
    const w = fillUniform(new Float32Array(c.f * K), 4);
    const b = fillUniform(new Float32Array(c.f), 5);

    const y = new Float32Array(yLen);
    const yRef = new Float32Array(yLen);
    conv2d(x, w, b, info, y);
    conv2dNaive(x, w, b, info, yRef);
    expect(maxAbsDiff(y, yRef), label(c)).toBeLessThan(1e-5);
    conv2d(x, w, null, info, y);
    conv2dNaive(x, w, null, info, yRef);
    expect(maxAbsDiff(y, yRef), label(c)).toBeLessThan(1e-5);

    const dy = fillUniform(new Float32Array(yLen), 6);
    const dx = new Float32Array(xLen);
    const dxRef = new Float32Array(xLen);
    conv2dBackpropInput(dy, w, info, dx);
    conv2dBackpropInputNaive(dy, w, info, dxRef);
    expect(maxAbsDiff(dx, dxRef), label(c)).toBeLessThan(1e-5);

    const dw = new Float32Array(w.length);
    const dwRef = new Float32Array(w.length);
    conv2dBackpropFilter(x, dy, info, dw);
    conv2dBackpropFilterNaive(x, dy, info, dwRef);
    expect(maxAbsDiff(dw, dwRef), label(c)).toBeLessThan(1e-4);
  });

  it.each(cases)('float64 path matches the naive twins to 1e-12: %#', (c) => {
    const info = computeConv2dInfo(c.x, c.f, c.g, 'Conv2d');
    const K = im2colRows(info);
    const xLen = c.x.reduce((a, b) => a * b);
    const yLen = info.batch * c.f * info.outHeight * info.outWidth;
    const x = fillUniform(new Float64Array(xLen), 7);
    const w = fillUniform(new Float64Array(c.f * K), 8);
    const dy = fillUniform(new Float64Array(yLen), 9);
    const [y, yRef, dx, dxRef] = [yLen, yLen, xLen, xLen].map((n) => new Float64Array(n));
    const [dw, dwRef] = [new Float64Array(w.length), new Float64Array(w.length)];
    conv2d(x, w, null, info, y);
    conv2dNaive(x, w, null, info, yRef);
    conv2dBackpropInput(dy, w, info, dx);
    conv2dBackpropInputNaive(dy, w, info, dxRef);
    conv2dBackpropFilter(x, dy, info, dw);
    conv2dBackpropFilterNaive(x, dy, info, dwRef);
    expect(maxAbsDiff(y, yRef), label(c)).toBeLessThan(1e-12);
    expect(maxAbsDiff(dx, dxRef), label(c)).toBeLessThan(1e-12);
    expect(maxAbsDiff(dw, dwRef), label(c)).toBeLessThan(1e-12);
  });

  it('splitting the batch into sample ranges (as the kernel pool does) gives the same numbers', () => {
    const info = computeConv2dInfo([5, 3, 9, 8], 4, { kernelSize: 3, padding: 1 }, 'Conv2d');
    const K = im2colRows(info);
    const x = fillUniform(new Float32Array(5 * 3 * 9 * 8), 13);
    const w = fillUniform(new Float32Array(4 * K), 14);
    const b = fillUniform(new Float32Array(4), 15);
    const yLen = 5 * 4 * info.outHeight * info.outWidth;
    const dy = fillUniform(new Float32Array(yLen), 16);
    const [y, ySplit] = [new Float32Array(yLen), new Float32Array(yLen)];
    const [dx, dxSplit] = [new Float32Array(x.length), new Float32Array(x.length)];
    conv2d(x, w, b, info, y);
    conv2dBackpropInput(dy, w, info, dx);
    const s = [...infoScalars(info), 1];
    for (const [n0, n1] of [
      [3, 5],
      [0, 1],
      [1, 3],
    ]) {
      conv2dSamples([x, w, b, ySplit], s, n0, n1);
      conv2dBackpropInputSamples([dy, w, dxSplit], s, n0, n1);
    }
    expect(Array.from(ySplit)).toEqual(Array.from(y));
    expect(Array.from(dxSplit)).toEqual(Array.from(dx));
  });

  it('naive twin agrees with a hand-computed 1-channel cross-correlation', () => {
    // x = 1..9 as 3×3, w = [[1,0],[0,-1]], bias 0.5: y[i][j] = x[i][j] − x[i+1][j+1] + 0.5 = −3.5 everywhere.
    const info = computeConv2dInfo([1, 1, 3, 3], 1, { kernelSize: 2, stride: 1 }, 'Conv2d');
    const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const w = Float64Array.from([1, 0, 0, -1]);
    const y = new Float64Array(4);
    conv2d(x, w, Float64Array.from([0.5]), info, y);
    expect(Array.from(y)).toEqual([-3.5, -3.5, -3.5, -3.5]);
  });

  it('rejects shapes with a clear message', () => {
    expect(() => computeConv2dInfo([1, 1, 2, 2], 1, { kernelSize: 3 }, 'Conv2d "c1"')).toThrow(/too small/);
    expect(() => computeConv2dInfo([1, 2, 2], 1, { kernelSize: 1 }, 'Conv2d')).toThrow(
      /batch, channels, height, width/,
    );
    expect(() => computeConv2dInfo([1, 1, 4, 4], 1, { kernelSize: 2, stride: 0 }, 'Conv2d')).toThrow(/stride/);
  });
});
