import type { TensorSummary } from '../../../shared/api/tensor';

/**
 * Colour maps for tensor glyphs, as 256-entry lookup tables of packed RGBA (little-endian
 * Uint32, the byte order of ImageData on every platform we ship to), so that a glyph's
 * raster is one table look-up per value.
 */

/** ColorBrewer RdBu, reversed: negative values blue, zero near-white, positive values red. */
const RDBU_ANCHORS: readonly (readonly [number, number, number])[] = [
  [5, 48, 97],
  [33, 102, 172],
  [67, 147, 195],
  [146, 197, 222],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [244, 165, 130],
  [214, 96, 77],
  [178, 24, 43],
  [103, 0, 31],
];

export const LUT_SIZE = 256;

/** NaN and ±Inf: a green that neither the blue–red map nor the grey one contains. */
export const NONFINITE_RGB: readonly [number, number, number] = [0, 200, 83];

/** The colour of t ∈ [-1, 1] on the diverging map (t is clamped). */
export function divergingRgb(t: number): [number, number, number] {
  const c = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  const pos = ((c + 1) / 2) * (RDBU_ANCHORS.length - 1);
  const i = Math.min(RDBU_ANCHORS.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = RDBU_ANCHORS[i]!;
  const b = RDBU_ANCHORS[i + 1]!;
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}

/** Greyscale for images: t ∈ [0, 1] from paper white (0) to ink black (1), as digits are drawn. */
export function inkRgb(t: number): [number, number, number] {
  const c = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0));
  const g = Math.round(255 * (1 - c));
  return [g, g, g];
}

export function packRgba(r: number, g: number, b: number, a = 255): number {
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

export type Palette = 'diverging' | 'ink';

function buildLut(f: (t: number) => [number, number, number], lo: number, hi: number): Uint32Array {
  const lut = new Uint32Array(LUT_SIZE);
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = f(lo + ((hi - lo) * i) / (LUT_SIZE - 1));
    lut[i] = packRgba(r, g, b);
  }
  return lut;
}

const luts: Record<Palette, Uint32Array> = {
  diverging: buildLut(divergingRgb, -1, 1),
  ink: buildLut(inkRgb, 0, 1),
};

export function paletteLut(p: Palette): Uint32Array {
  return luts[p];
}

export const NONFINITE_PACKED = packRgba(NONFINITE_RGB[0], NONFINITE_RGB[1], NONFINITE_RGB[2]);

/**
 * How values map onto a palette: `value → (value - lo) / (hi - lo)` over the table. The
 * diverging scale is symmetric around zero (lo = -hi) so that white always means zero.
 */
export interface ColorScale {
  readonly palette: Palette;
  readonly lo: number;
  readonly hi: number;
}

/** The largest finite magnitude of a summary, or 0 when it has no finite value. */
export function absMax(s: Pick<TensorSummary, 'min' | 'max'>): number {
  return Math.max(Math.abs(s.min ?? 0), Math.abs(s.max ?? 0));
}

/**
 * The diverging scale of a tensor: ±max|x|. An all-zero tensor gets ±1 so that it shows as
 * white rather than dividing by zero.
 */
export function divergingScale(limit: number): ColorScale {
  const l = Number.isFinite(limit) && limit > 0 ? limit : 1;
  return { palette: 'diverging', lo: -l, hi: l };
}

/** The greyscale scale of an image: its own [min, max], or [0, 1] when constant. */
export function inkScale(min: number | null, max: number | null): ColorScale {
  const lo = min ?? 0;
  const hi = max ?? 1;
  return hi > lo ? { palette: 'ink', lo, hi } : { palette: 'ink', lo, hi: lo + 1 };
}

/** Index into the palette's table for a finite value. */
export function lutIndex(value: number, scale: ColorScale): number {
  const t = (value - scale.lo) / (scale.hi - scale.lo);
  const i = Math.round(t * (LUT_SIZE - 1));
  return i < 0 ? 0 : i > LUT_SIZE - 1 ? LUT_SIZE - 1 : i;
}

/** CSS colour of a value, for legends, table cells and read-outs; null (NaN/Inf) gets the flag colour. */
export function cssColor(value: number | null, scale: ColorScale): string {
  if (value === null || !Number.isFinite(value)) return `rgb(${NONFINITE_RGB.join(',')})`;
  const packed = luts[scale.palette][lutIndex(value, scale)]!;
  return `rgb(${packed & 255},${(packed >>> 8) & 255},${(packed >>> 16) & 255})`;
}

/** A CSS linear-gradient of the palette from lo (left) to hi (right), for the scale legend. */
export function paletteGradient(p: Palette, stops = 11): string {
  const f = p === 'diverging' ? (t: number) => divergingRgb(t * 2 - 1) : inkRgb;
  const parts: string[] = [];
  for (let i = 0; i < stops; i++) {
    const t = i / (stops - 1);
    parts.push(`rgb(${f(t).join(',')}) ${(t * 100).toFixed(1)}%`);
  }
  return `linear-gradient(to right, ${parts.join(', ')})`;
}
