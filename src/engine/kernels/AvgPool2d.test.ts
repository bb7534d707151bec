import { describe, it, expect } from 'vitest';
import { computePool2dInfo, type Conv2dGeometry } from './convInfo';
import { avgPool2d, avgPool2dBackward, avgPool2dBackwardNaive, avgPool2dNaive } from './AvgPool2d';
import { fillUniform, maxAbsDiff } from './testRandom.test-support';

const cases: { x: number[]; g: Conv2dGeometry }[] = [
  { x: [2, 3, 8, 8], g: { kernelSize: 2 } },
  { x: [1, 2, 7, 9], g: { kernelSize: 3, stride: 2, padding: 1 } },
  { x: [2, 1, 6, 5], g: { kernelSize: [3, 2], stride: [1, 2], padding: [1, 1] } },
  { x: [1, 2, 5, 5], g: { kernelSize: 2, stride: 1 } },
  { x: [1, 1, 9, 9], g: { kernelSize: 4, stride: 3, padding: 2 } },
];

describe('AvgPool2d kernels', () => {
  for (const countIncludePad of [true, false]) {
    it.each(cases)(`forward and backward match the naive twins (countIncludePad=${countIncludePad}): %#`, (c) => {
      const info = computePool2dInfo(c.x, c.g, 'AvgPool2d');
      const xLen = c.x.reduce((a, b) => a * b);
      const yLen = info.batch * info.inChannels * info.outHeight * info.outWidth;
      const x = fillUniform(new Float64Array(xLen), 13);
      const y = new Float64Array(yLen);
      const yRef = new Float64Array(yLen);
      avgPool2d(x, info, countIncludePad, y);
      avgPool2dNaive(x, info, countIncludePad, yRef);
      expect(maxAbsDiff(y, yRef)).toBeLessThan(1e-12);
      const dy = fillUniform(new Float64Array(yLen), 14);
      const dx = new Float64Array(xLen);
      const dxRef = new Float64Array(xLen);
      avgPool2dBackward(dy, info, countIncludePad, dx);
      avgPool2dBackwardNaive(dy, info, countIncludePad, dxRef);
      expect(maxAbsDiff(dx, dxRef)).toBeLessThan(1e-12);
    });
  }

  it('divides a padded corner window by the full kernel area by default', () => {
    const info = computePool2dInfo([1, 1, 2, 2], { kernelSize: 2, stride: 2, padding: 1 }, 'AvgPool2d');
    const y = new Float64Array(4);
    avgPool2d(Float64Array.from([4, 8, 12, 16]), info, true, y);
    expect(Array.from(y)).toEqual([1, 2, 3, 4]);
    avgPool2d(Float64Array.from([4, 8, 12, 16]), info, false, y);
    expect(Array.from(y)).toEqual([4, 8, 12, 16]);
  });
});
