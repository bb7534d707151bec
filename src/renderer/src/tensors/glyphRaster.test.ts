import { describe, expect, it } from 'vitest';
import { NONFINITE_PACKED, divergingScale, inkScale, lutIndex, paletteLut } from './colorMap';
import { layoutGlyph } from './glyphLayout';
import { rasterize } from './glyphRaster';

describe('rasterize', () => {
  it('colours each cell by its value through the palette', () => {
    const layout = layoutGlyph([2, 3]);
    const values = [1, 0, -1, 2, 0, -2];
    const scale = divergingScale(2);
    const px = rasterize(layout, values, scale);
    const lut = paletteLut('diverging');
    expect([...px]).toEqual(values.map((v) => lut[lutIndex(v, scale)]));
  });

  it('flags null (NaN/Inf) cells and leaves gaps transparent', () => {
    const layout = layoutGlyph([1, 2, 2, 2]); // two 2×2 tiles with a gap column between them
    const values = [0, null, 0, 0, 1, 1, 1, 1];
    const px = rasterize(layout, values, divergingScale(1));
    expect(layout.width).toBe(5);
    expect(px[1]).toBe(NONFINITE_PACKED);
    expect(px[2]).toBe(0);
    expect(px[7]).toBe(0);
    expect(px[3]).toBe(paletteLut('diverging')[255]);
  });

  it('draws the tail of a wrapped vector blank', () => {
    const layout = layoutGlyph([130]);
    const px = rasterize(
      layout,
      Array.from({ length: 130 }, () => 1),
      divergingScale(1),
    );
    const drawn = [...px].filter((p) => p !== 0).length;
    expect(drawn).toBe(130);
  });

  it('paints images in greyscale from their own range', () => {
    const layout = layoutGlyph([1, 1, 2, 2], { images: true });
    const px = rasterize(layout, [0, 16, 8, 16], inkScale(0, 16));
    const lut = paletteLut('ink');
    expect(px[0]).toBe(lut[0]);
    expect(px[1]).toBe(lut[255]);
  });

  it('reuses the output buffer when it has the right size', () => {
    const layout = layoutGlyph([4]);
    const buf = new Uint32Array(4).fill(7);
    expect(rasterize(layout, [0, 0, 0, 0], divergingScale(1), buf)).toBe(buf);
    expect(rasterize(layout, [0, 0, 0, 0], divergingScale(1), new Uint32Array(3))).not.toBe(buf);
  });
});
