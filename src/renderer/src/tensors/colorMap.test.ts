import { describe, expect, it } from 'vitest';
import {
  LUT_SIZE,
  NONFINITE_PACKED,
  absMax,
  cssColor,
  divergingRgb,
  divergingScale,
  inkRgb,
  inkScale,
  lutIndex,
  packRgba,
  paletteLut,
} from './colorMap';

describe('diverging colour map', () => {
  it('is near-white at zero, blue for negative and red for positive values', () => {
    const [r0, g0, b0] = divergingRgb(0);
    expect(Math.min(r0, g0, b0)).toBeGreaterThan(240);
    const [rn, , bn] = divergingRgb(-0.8);
    expect(bn).toBeGreaterThan(rn);
    const [rp, , bp] = divergingRgb(0.8);
    expect(rp).toBeGreaterThan(bp);
  });

  it('darkens monotonically towards both ends', () => {
    const lum = (t: number): number => {
      const [r, g, b] = divergingRgb(t);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (let t = 0; t < 1; t += 0.05) {
      expect(lum(t + 0.05)).toBeLessThanOrEqual(lum(t) + 1e-9);
      expect(lum(-t - 0.05)).toBeLessThanOrEqual(lum(-t) + 1e-9);
    }
  });

  it('clamps out-of-range and non-finite inputs', () => {
    expect(divergingRgb(5)).toEqual(divergingRgb(1));
    expect(divergingRgb(-5)).toEqual(divergingRgb(-1));
    expect(divergingRgb(NaN)).toEqual(divergingRgb(0));
  });

  it('is symmetric around zero on the lookup table', () => {
    const s = divergingScale(2);
    expect(lutIndex(0, s)).toBe(Math.round((LUT_SIZE - 1) / 2));
    expect(lutIndex(2, s)).toBe(LUT_SIZE - 1);
    expect(lutIndex(-2, s)).toBe(0);
    expect(lutIndex(1e9, s)).toBe(LUT_SIZE - 1);
    expect(lutIndex(-1, s) + lutIndex(1, s)).toBe(LUT_SIZE - 1);
  });
});

describe('scales', () => {
  it('takes the largest magnitude as the diverging limit, and ±1 for an all-zero tensor', () => {
    expect(absMax({ min: -3, max: 2 })).toBe(3);
    expect(absMax({ min: null, max: null })).toBe(0);
    expect(divergingScale(0)).toEqual({ palette: 'diverging', lo: -1, hi: 1 });
    expect(divergingScale(Infinity)).toEqual({ palette: 'diverging', lo: -1, hi: 1 });
    expect(divergingScale(0.5)).toEqual({ palette: 'diverging', lo: -0.5, hi: 0.5 });
  });

  it('maps images from their own range, low values to white and high to black', () => {
    expect(inkRgb(0)).toEqual([255, 255, 255]);
    expect(inkRgb(1)).toEqual([0, 0, 0]);
    const s = inkScale(0, 16);
    const lut = paletteLut('ink');
    expect(lut[lutIndex(0, s)]).toBe(packRgba(255, 255, 255));
    expect(lut[lutIndex(16, s)]).toBe(packRgba(0, 0, 0));
    expect(inkScale(3, 3).hi).toBeGreaterThan(3);
  });

  it('gives non-finite values the flag colour, which is on neither palette', () => {
    for (const p of ['diverging', 'ink'] as const) expect([...paletteLut(p)]).not.toContain(NONFINITE_PACKED);
    expect(cssColor(null, divergingScale(1))).toBe('rgb(0,200,83)');
    expect(cssColor(1, divergingScale(1))).toBe(`rgb(${divergingRgb(1).join(',')})`);
  });
});
