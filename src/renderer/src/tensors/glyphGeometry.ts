import type { GlyphLayout, GlyphPanel } from './glyphLayout';

/** From screen to values and back: which cell a pixel shows, its index, how large to draw. */

/** The cell under data pixel (x, y), with its flat index into the values; null over a gap. */
export function hitTest(
  layout: GlyphLayout,
  x: number,
  y: number,
): { panel: GlyphPanel; row: number; col: number; index: number } | null {
  for (const p of layout.panels) {
    const col = Math.floor(x - p.x);
    const row = Math.floor(y - p.y);
    if (row < 0 || col < 0 || row >= p.rows || col >= p.cols) continue;
    if (row * p.cols + col >= p.count) return null;
    return { panel: p, row, col, index: p.offset + row * p.rowStride + col * p.colStride };
  }
  return null;
}

/** Row-major flat index → multi-index. */
export function unravelIndex(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    out[d] = n > 0 ? rest % n : 0;
    rest = n > 0 ? Math.floor(rest / n) : 0;
  }
  return out;
}

/**
 * CSS pixels per data pixel so that the glyph fits in maxW×maxH: an integer (crisp cells)
 * when it can grow, a fraction when the data is larger than the box.
 */
export function fitScale(
  layout: Pick<GlyphLayout, 'width' | 'height'>,
  maxW: number,
  maxH: number,
  maxScale = 14,
): number {
  if (layout.width === 0 || layout.height === 0) return 1;
  const s = Math.min(maxW / layout.width, maxH / layout.height);
  return s >= 1 ? Math.min(Math.floor(s), maxScale) : s;
}
