import { describe, it, expect } from 'vitest';
import { computePool2dInfo, type Conv2dGeometry } from './convInfo';
import {
  maxPool2d,
  maxPool2dBackward,
  maxPool2dBackwardJs,
  maxPool2dBackwardNaive,
  maxPool2dJs,
  maxPool2dNaive,
  maxPool2dSelect,
} from './MaxPool2d';
import { maxPool2x2BackwardF32Simd, maxPool2x2F32Simd, simdMaxPoolAvailable } from './wasm/maxPoolF32Simd';
import { fillUniform, maxAbsDiff } from './testRandom.test-support';

const cases: { x: number[]; g: Conv2dGeometry }[] = [
  { x: [2, 3, 8, 8], g: { kernelSize: 2 } },
  { x: [1, 2, 7, 9], g: { kernelSize: 3, stride: 2, padding: 1 } },
  { x: [2, 1, 6, 5], g: { kernelSize: [3, 2], stride: [1, 2], padding: [1, 1] } },
  { x: [1, 2, 5, 5], g: { kernelSize: 2, stride: 1 } },
  { x: [1, 1, 9, 9], g: { kernelSize: 4, stride: 3, padding: 2 } },
];

describe('MaxPool2d kernels', () => {
  it.each(cases)('forward and backward match the naive twins: %#', (c) => {
    const info = computePool2dInfo(c.x, c.g, 'MaxPool2d');
    const xLen = c.x.reduce((a, b) => a * b);
    const yLen = info.batch * info.inChannels * info.outHeight * info.outWidth;
    const x = fillUniform(new Float32Array(xLen), 11);
    const y = new Float32Array(yLen);
    const yRef = new Float32Array(yLen);
    maxPool2d(x, info, y);
    maxPool2dNaive(x, info, yRef);
    expect(maxAbsDiff(y, yRef)).toBe(0);
    const dy = fillUniform(new Float32Array(yLen), 12);
    const dx = new Float32Array(xLen);
    const dxRef = new Float32Array(xLen);
    maxPool2dBackward(dy, x, info, dx);
    maxPool2dBackwardNaive(dy, x, info, dxRef);
    expect(maxAbsDiff(dx, dxRef)).toBeLessThan(1e-6);
    // Select is the adjoint of backward in its gradient argument: <select(g, x), dy> = <g, backward(dy, x)>.
    const g = fillUniform(new Float64Array(xLen), 15);
    const sel = new Float64Array(yLen);
    maxPool2dSelect(g, x, info, sel);
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < yLen; i++) lhs += sel[i] * dy[i];
    for (let i = 0; i < xLen; i++) rhs += g[i] * dx[i];
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-5);
  });

  it('sends a tie to the first maximum and propagates NaN, like PyTorch', () => {
    const info = computePool2dInfo([1, 1, 2, 2], { kernelSize: 2 }, 'MaxPool2d');
    const dx = new Float64Array(4);
    maxPool2dBackward(Float64Array.from([1]), Float64Array.from([0, 3, 3, 1]), info, dx);
    expect(Array.from(dx)).toEqual([0, 1, 0, 0]);
    const y = new Float64Array(1);
    maxPool2d(Float64Array.from([5, NaN, 7, 1]), info, y);
    expect(Number.isNaN(y[0])).toBe(true);
  });

  it.each([{ kernelSize: 2 }, { kernelSize: 2, stride: 1 }, { kernelSize: 2, stride: [1, 2] as [number, number] }])(
    "2×2 windows pick the naive twin's winner among ties, NaN, ±0 and −∞: %o",
    (g) => {
      const shape = [2, 3, 6, 7];
      const info = computePool2dInfo(shape, g, 'MaxPool2d');
      const xLen = shape.reduce((a, b) => a * b);
      const yLen = info.batch * info.inChannels * info.outHeight * info.outWidth;
      const pick = [NaN, -Infinity, -0, 0, 1, 1, -1, 2];
      const u = fillUniform(new Float64Array(xLen), 21);
      const x = Float32Array.from(u, (v) => pick[Math.floor((v + 1) * 4)]);
      const y = new Float32Array(yLen);
      const yRef = new Float32Array(yLen);
      maxPool2d(x, info, y);
      maxPool2dNaive(x, info, yRef);
      for (let i = 0; i < yLen; i++) expect(Object.is(y[i], yRef[i]), `output ${i}`).toBe(true);
      // Distinct output gradients (powers of two sum exactly), so each input's sum names its windows.
      const dy = Float64Array.from({ length: yLen }, (_, i) => 2 ** (i % 40));
      const dx = new Float64Array(xLen);
      const dxRef = new Float64Array(xLen);
      maxPool2dBackward(dy, x, info, dx);
      maxPool2dBackwardNaive(dy, x, info, dxRef);
      expect(Array.from(dx)).toEqual(Array.from(dxRef));
    },
  );

  it.skipIf(!simdMaxPoolAvailable()).each([
    [2, 3, 8, 8],
    [2, 3, 9, 17],
    [3, 2, 11, 11],
    [1, 1, 26, 26],
    [1, 2, 3, 10],
    // More than 2^20 input values: pooled in chunks of planes.
    [3, 2, 600, 600],
  ])(
    'float32 2×2 stride 2 in WebAssembly SIMD gives the JS kernels’ numbers bit for bit: [%i, %i, %i, %i]',
    (...shape) => {
      const info = computePool2dInfo(shape, { kernelSize: 2 }, 'MaxPool2d');
      const xLen = shape.reduce((a, b) => a * b);
      const yLen = info.batch * info.inChannels * info.outHeight * info.outWidth;
      const pick = [NaN, -Infinity, -0, 0, 1, 1, -1, 2];
      const u = fillUniform(new Float64Array(xLen), 23);
      const x = Float32Array.from(u, (v) => pick[Math.floor((v + 1) * 4)]);
      x.fill(-Infinity, 0, 2);
      x.fill(-Infinity, shape[3], shape[3] + 2); // a window of −∞ only: no winner
      const [y, yJs] = [new Float32Array(yLen), new Float32Array(yLen)];
      expect(maxPool2x2F32Simd(x, info, y)).toBe(true);
      maxPool2dJs(x, info, yJs);
      const differ = (a: Float32Array, b: Float32Array) => a.findIndex((v, i) => !Object.is(v, b[i]));
      expect(differ(y, yJs), 'first differing output').toBe(-1);
      const dy = fillUniform(new Float32Array(yLen), 24);
      dy[1] = -0;
      dy[2] = NaN;
      const [dx, dxJs] = [new Float32Array(xLen).fill(7), new Float32Array(xLen)];
      expect(maxPool2x2BackwardF32Simd(dy, x, info, dx)).toBe(true);
      maxPool2dBackwardJs(dy, x, info, dxJs);
      expect(differ(dx, dxJs), 'first differing input gradient').toBe(-1);
    },
  );

  it('the SIMD pooling declines what it does not cover (the JS kernels run)', () => {
    const x = new Float32Array(64);
    for (const [shape, g] of [
      [[1, 1, 8, 8], { kernelSize: 2, stride: 1 }],
      [[1, 1, 8, 8], { kernelSize: 3, stride: 2 }],
      [[1, 1, 6, 6], { kernelSize: 2 }], // 3 windows a row: fewer than one vector
    ] as const) {
      const info = computePool2dInfo([...shape], g, 'MaxPool2d');
      expect(maxPool2x2F32Simd(x, info, new Float32Array(64))).toBe(false);
      expect(maxPool2x2BackwardF32Simd(new Float32Array(64), x, info, new Float32Array(64))).toBe(false);
    }
  });

  it('never picks padding, even when every real value is negative', () => {
    const info = computePool2dInfo([1, 1, 2, 2], { kernelSize: 2, stride: 1, padding: 1 }, 'MaxPool2d');
    const y = new Float64Array(9);
    maxPool2d(Float64Array.from([-1, -2, -3, -4]), info, y);
    expect(Array.from(y)).toEqual([-1, -1, -2, -1, -1, -2, -3, -3, -4]);
  });

  it('rejects padding larger than half the kernel', () => {
    expect(() => computePool2dInfo([1, 1, 8, 8], { kernelSize: 2, padding: 2 }, 'MaxPool2d "p1"')).toThrow(
      /at most half/,
    );
  });
});
