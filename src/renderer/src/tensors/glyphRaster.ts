import { LUT_SIZE, NONFINITE_PACKED, paletteLut } from './colorMap';
import type { ColorScale } from './colorMap';
import type { GlyphLayout } from './glyphLayout';

/**
 * Paints a layout into packed RGBA pixels (one per data cell, 0 = transparent gap), ready to be
 * wrapped in an ImageData. `values` follow the layout's flat indexing; null (NaN/Inf) cells get
 * the flag colour. Passing the previous `out` of the right size reuses it.
 *
 * @example const px = rasterize(layoutGlyph([2, 3]), [1, 0, -1, 2, 0, -2], divergingScale(2));
 */
export function rasterize(
  layout: GlyphLayout,
  values: ArrayLike<number | null>,
  scale: ColorScale,
  out?: Uint32Array<ArrayBuffer>,
): Uint32Array<ArrayBuffer> {
  const { width, height } = layout;
  const px = out && out.length === width * height ? out : new Uint32Array(width * height);
  px.fill(0);
  const lut = paletteLut(scale.palette);
  const lo = scale.lo;
  const k = (LUT_SIZE - 1) / (scale.hi - scale.lo);
  const top = LUT_SIZE - 1;
  for (const p of layout.panels) {
    for (let r = 0; r < p.rows; r++) {
      let row = (p.y + r) * width + p.x;
      let src = p.offset + r * p.rowStride;
      const cells = Math.min(p.cols, p.count - r * p.cols);
      for (let c = 0; c < cells; c++, row++, src += p.colStride) {
        const v = values[src];
        if (v === null || v === undefined || !Number.isFinite(v)) {
          px[row] = NONFINITE_PACKED;
          continue;
        }
        // Inline lutIndex: this loop runs for every cell of every glyph on each step.
        const i = Math.round((v - lo) * k);
        px[row] = lut[i < 0 ? 0 : i > top ? top : i]!;
      }
    }
  }
  return px;
}
