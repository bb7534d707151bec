import { describe, it, expect } from 'vitest';
import {
  conv2dBackpropFilterF32Simd,
  conv2dBackpropInputF32Simd,
  conv2dF32Simd,
  simdConvAvailable,
} from './convF32Simd';
import { computeConv2dInfo, im2colRows, type Conv2dGeometry } from '../convInfo';
import { conv2dGemmSamples } from '../Conv2d';
import { conv2dBackpropFilterGemm } from '../Conv2dBackpropFilter';
import { conv2dBackpropInputGemmSamples } from '../Conv2dBackpropInput';
import { fillUniform } from '../testRandom.test-support';

const available = simdConvAvailable();
if (!available) console.log('Skipping the WebAssembly SIMD convolution test: this runtime has no WebAssembly SIMD.');

/** Indices where a and b differ bit for bit (NaN equals NaN; +0 and −0 differ). */
function differences(a: Float32Array, b: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) out.push(i);
  return out;
}

const cases: { x: number[]; f: number; g: Conv2dGeometry }[] = [
  // The benchmark's two layers.
  { x: [4, 1, 28, 28], f: 8, g: { kernelSize: 3, stride: 1 } },
  { x: [3, 8, 13, 13], f: 16, g: { kernelSize: 3, stride: 1 } },
  { x: [2, 3, 7, 6], f: 5, g: { kernelSize: 3, stride: 1, padding: 1 } },
  { x: [2, 2, 9, 8], f: 3, g: { kernelSize: [3, 2], stride: 1, padding: [2, 1], dilation: [2, 3] } },
  { x: [1, 4, 6, 7], f: 7, g: { kernelSize: 1, stride: 1 } },
  { x: [2, 2, 5, 5], f: 9, g: { kernelSize: 5, stride: 1, padding: 2 } },
  // More than 256 output positions: the filter gradient's sums run in the gemm's blocks of 256.
  { x: [2, 2, 30, 30], f: 4, g: { kernelSize: 5, stride: 1, padding: 2 } },
  { x: [1, 1, 1, 1], f: 1, g: { kernelSize: 1, stride: 1 } },
];

describe('direct WebAssembly SIMD convolutions', () => {
  it.skipIf(!available).each(cases)(
    'give the im2col + gemm path’s numbers bit for bit, with ±Infinity, NaN and −0 in the data: %#',
    (c) => {
      const info = computeConv2dInfo(c.x, c.f, c.g, 'Conv2d');
      const K = im2colRows(info);
      const xLen = c.x.reduce((a, b) => a * b);
      const yLen = info.batch * c.f * info.outHeight * info.outWidth;
      const x = fillUniform(new Float32Array(xLen), 3);
      const w = fillUniform(new Float32Array(c.f * K), 4);
      const b = fillUniform(new Float32Array(c.f), 5);
      const dy = fillUniform(new Float32Array(yLen), 6);
      for (const a of [x, dy]) {
        if (a.length < 8) continue;
        a[1] = Infinity;
        a[a.length >> 1] = NaN;
        a[a.length - 2] = -Infinity;
        a[3] = -0;
      }
      const label = JSON.stringify(c);
      for (const bias of [b, null]) {
        const [y, yRef] = [new Float32Array(yLen), new Float32Array(yLen)];
        expect(conv2dF32Simd(x, w, bias, info, y, 0, info.batch)).toBe(true);
        conv2dGemmSamples(x, w, bias, info, yRef, 0, info.batch);
        expect(differences(y, yRef), label).toEqual([]);
      }
      const [dx, dxRef] = [new Float32Array(xLen), new Float32Array(xLen)];
      expect(conv2dBackpropInputF32Simd(dy, w, info, dx, 0, info.batch)).toBe(true);
      conv2dBackpropInputGemmSamples(dy, w, info, dxRef, 0, info.batch);
      expect(differences(dx, dxRef), label).toEqual([]);
      const [dw, dwRef] = [new Float32Array(w.length), new Float32Array(w.length)];
      expect(conv2dBackpropFilterF32Simd(x, dy, info, dw)).toBe(true);
      conv2dBackpropFilterGemm(x, dy, info, dwRef);
      expect(differences(dw, dwRef), label).toEqual([]);
    },
  );

  it.skipIf(!available)('sample ranges (as the kernel pool splits them) give the whole batch’s numbers', () => {
    const info = computeConv2dInfo([5, 3, 9, 8], 4, { kernelSize: 3, stride: 1, padding: 1 }, 'Conv2d');
    const x = fillUniform(new Float32Array(5 * 3 * 9 * 8), 13);
    const w = fillUniform(new Float32Array(4 * 27), 14);
    const yLen = 5 * 4 * info.outHeight * info.outWidth;
    const dy = fillUniform(new Float32Array(yLen), 16);
    const [y, ySplit] = [new Float32Array(yLen), new Float32Array(yLen)];
    const [dx, dxSplit] = [new Float32Array(x.length), new Float32Array(x.length)];
    conv2dF32Simd(x, w, null, info, y, 0, 5);
    conv2dBackpropInputF32Simd(dy, w, info, dx, 0, 5);
    for (const [n0, n1] of [
      [3, 5],
      [0, 1],
      [1, 3],
    ]) {
      conv2dF32Simd(x, w, null, info, ySplit, n0, n1);
      conv2dBackpropInputF32Simd(dy, w, info, dxSplit, n0, n1);
    }
    expect(differences(ySplit, y)).toEqual([]);
    expect(differences(dxSplit, dx)).toEqual([]);
  });

  it.skipIf(!available)('decline what they do not cover, so the gemm path runs', () => {
    const info = (x: number[], f: number, g: Conv2dGeometry) => computeConv2dInfo(x, f, g, 'Conv2d');
    const strided = info([1, 2, 8, 8], 3, { kernelSize: 3, stride: 2 });
    const x = new Float32Array(128);
    const w = new Float32Array(3 * 18);
    expect(conv2dF32Simd(x, w, null, strided, new Float32Array(27), 0, 1)).toBe(false);
    expect(conv2dBackpropFilterF32Simd(x, new Float32Array(27), strided, w)).toBe(false);
    expect(conv2dBackpropInputF32Simd(new Float32Array(27), w, strided, x, 0, 1)).toBe(false);
    // More than 256 taps per output: the gemm would sum them in two blocks.
    const deep = info([1, 30, 5, 5], 2, { kernelSize: 3, stride: 1 });
    expect(conv2dF32Simd(new Float32Array(750), new Float32Array(540), null, deep, new Float32Array(18), 0, 1)).toBe(
      false,
    );
    // A non-finite weight would turn the zero border of dy into NaN.
    const plain = info([1, 2, 8, 8], 3, { kernelSize: 3, stride: 1 });
    w[5] = Infinity;
    expect(conv2dBackpropInputF32Simd(new Float32Array(108), w, plain, x, 0, 1)).toBe(false);
  });
});
