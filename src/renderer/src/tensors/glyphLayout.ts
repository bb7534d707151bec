import type { Palette } from './colorMap';

/**
 * How a tensor is laid out on a glyph, chosen by its shape. Every glyph is a grid of 2-D
 * panels drawn one data pixel per value, separated by one-pixel gaps; the canvas is then
 * scaled by CSS (see `fitScale` in glyphGeometry).
 */
export type GlyphKind = 'empty' | 'scalar' | 'strip' | 'heatmap' | 'sequence' | 'tiles' | 'images' | 'matrix';

export interface GlyphHint {
  /** The edge's port kind from the graph (`sequence` edges are N×T×F, batch first). */
  readonly portKind?: string;
  /** The edge leaves an Input node: N×C×H×W values are pictures, drawn in greyscale. */
  readonly images?: boolean;
  /** Attention weights: square in their last two dimensions, shown as the matrix itself. */
  readonly attention?: boolean;
  /** A parameter (weights have no batch dimension): 2-D is out × in, 4-D is out × in × kh × kw. */
  readonly parameter?: boolean;
}

/** One 2-D block of values: cell (r, c) is `values[offset + r * rowStride + c * colStride]`. */
export interface GlyphPanel {
  readonly x: number;
  readonly y: number;
  readonly rows: number;
  readonly cols: number;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
  /** Cells past this many (row-major) are blank: the tail of a wrapped vector. */
  readonly count: number;
  /** Which slice this is, in words ("example 1, channel 3"). */
  readonly label: string;
}

export interface GlyphLayout {
  readonly kind: GlyphKind;
  readonly width: number;
  readonly height: number;
  readonly panels: readonly GlyphPanel[];
  readonly palette: Palette;
  /** How to read it: which axis is which. */
  readonly caption: string;
}

export interface LayoutOptions {
  /** Most panels drawn; the rest are left out and the caption says so. Default 64. */
  readonly maxPanels?: number;
  /** Wanted width/height ratio of the whole glyph. Default 2 (edges are wide, not tall). */
  readonly aspect?: number;
}

const GAP = 1;

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Columns of a grid of `count` panels of h×w closest to the wanted aspect ratio. */
export function gridColumns(count: number, h: number, w: number, aspect: number): number {
  let best = 1;
  let bestErr = Infinity;
  for (let c = 1; c <= count; c++) {
    const r = Math.ceil(count / c);
    // Empty cells in the last row count against a layout: 4 images read better as 2×2 than as 3 + 1.
    const err = Math.abs(Math.log((c * (w + GAP) - GAP) / (r * (h + GAP) - GAP) / aspect)) + (r * c - count) / count;
    if (err < bestErr - 1e-9) {
      best = c;
      bestErr = err;
    }
  }
  return best;
}

/** Width of a wrapped strip for a vector of n values: one row up to 128, then roughly 4:1 blocks. */
export function stripWidth(n: number): number {
  return n <= 128 ? n : Math.min(n, Math.max(64, Math.ceil(Math.sqrt(4 * n))));
}

/** A panel before it is placed. */
type PanelSpec = Omit<GlyphPanel, 'x' | 'y'>;

function arrange(
  kind: GlyphKind,
  specs: readonly PanelSpec[],
  gridCols: number,
  palette: Palette,
  caption: string,
): GlyphLayout {
  const h = Math.max(...specs.map((s) => s.rows));
  const w = Math.max(...specs.map((s) => s.cols));
  const panels = specs.map((s, i) => ({
    ...s,
    x: (i % gridCols) * (w + GAP),
    y: Math.floor(i / gridCols) * (h + GAP),
  }));
  const gridRows = Math.ceil(specs.length / gridCols);
  return { kind, width: gridCols * (w + GAP) - GAP, height: gridRows * (h + GAP) - GAP, panels, palette, caption };
}

function single(kind: GlyphKind, spec: PanelSpec, caption: string, palette: Palette = 'diverging'): GlyphLayout {
  return arrange(kind, [spec], 1, palette, caption);
}

function vector(n: number, offset: number, caption: string): GlyphLayout {
  const w = stripWidth(n);
  return single(
    'strip',
    { rows: Math.ceil(n / w), cols: w, offset, rowStride: w, colStride: 1, count: n, label: '' },
    caption,
  );
}

function capped(total: number, max: number): { n: number; note: string } {
  return total > max ? { n: max, note: ` (first ${max} of ${total} shown)` } : { n: total, note: '' };
}

/**
 * Picks the glyph for a tensor of the given shape (the shape of the values to draw: a
 * preview's shape on an edge, the full shape in the inspector).
 *
 * @example layoutGlyph([4, 8], {}) // heat map: 4 examples (rows) × 8 features (columns)
 */
export function layoutGlyph(shape: readonly number[], hint: GlyphHint = {}, opts: LayoutOptions = {}): GlyphLayout {
  const maxPanels = opts.maxPanels ?? 64;
  const aspect = opts.aspect ?? 2;
  const total = product(shape);
  if (total === 0)
    return { kind: 'empty', width: 0, height: 0, panels: [], palette: 'diverging', caption: 'empty tensor' };
  if (total === 1)
    return single('scalar', { rows: 1, cols: 1, offset: 0, rowStride: 1, colStride: 1, count: 1, label: '' }, 'scalar');
  const rank = shape.length;
  if (rank === 1) return vector(total, 0, hint.parameter ? 'vector' : 'vector: one cell per value');

  if (rank === 2) {
    const [a, b] = shape as [number, number];
    const spec = { rows: a, cols: b, offset: 0, rowStride: b, colStride: 1, count: total, label: '' };
    if (hint.attention && a === b) return single('matrix', spec, 'attention weights: queries ↓, keys →');
    if (hint.parameter) return single('matrix', spec, 'weight matrix: outputs ↓, inputs →');
    if (a === 1) return vector(b, 0, 'one example: features →');
    return single('heatmap', spec, 'examples ↓, features →');
  }

  if (rank === 3) {
    const [n, a, b] = shape as [number, number, number];
    const { n: shown, note } = capped(n, maxPanels);
    if (hint.attention && a === b) {
      const specs = Array.from({ length: shown }, (_, i) => ({
        rows: a,
        cols: b,
        offset: i * a * b,
        rowStride: b,
        colStride: 1,
        count: a * b,
        label: `example ${i + 1}`,
      }));
      return arrange(
        'matrix',
        specs,
        gridColumns(shown, a, b, aspect),
        'diverging',
        `attention weights per example: queries ↓, keys →${note}`,
      );
    }
    if (hint.portKind === 'sequence' || !hint.parameter) {
      // Time runs left to right, features top to bottom: one panel per example.
      const specs = Array.from({ length: shown }, (_, i) => ({
        rows: b,
        cols: a,
        offset: i * a * b,
        rowStride: 1,
        colStride: b,
        count: a * b,
        label: `example ${i + 1}`,
      }));
      return arrange(
        'sequence',
        specs,
        gridColumns(shown, b, a, aspect),
        'diverging',
        `sequence per example: time →, features ↓${note}`,
      );
    }
    const specs = Array.from({ length: shown }, (_, i) => ({
      rows: a,
      cols: b,
      offset: i * a * b,
      rowStride: b,
      colStride: 1,
      count: a * b,
      label: `slice ${i + 1}`,
    }));
    return arrange('tiles', specs, gridColumns(shown, a, b, aspect), 'diverging', `${n} slices of ${a}×${b}${note}`);
  }

  // A p4 feature map (N×C×4×H×W, from a P4 Lifting or Group Conv): one row per example and
  // channel, its four orientation tiles side by side (0°, 90°, 180°, 270°), so a quarter turn of
  // the input shows as every tile turning and the row cycling one tile to the right.
  if (rank === 5 && shape[2] === 4 && !hint.parameter) {
    const [n, c, , h, w] = shape as [number, number, number, number, number];
    const { n: rows, note } = capped(n * c, Math.max(1, Math.floor(maxPanels / 4)));
    const specs = Array.from({ length: rows * 4 }, (_, i) => {
      const row = Math.floor(i / 4);
      const r = i % 4;
      const where = n === 1 ? `channel ${row + 1}` : `example ${Math.floor(row / c) + 1}, channel ${(row % c) + 1}`;
      return {
        rows: h,
        cols: w,
        offset: i * h * w,
        rowStride: w,
        colStride: 1,
        count: h * w,
        label: `${where}, orientation ${r * 90}°`,
      };
    });
    return arrange(
      'tiles',
      specs,
      4,
      'diverging',
      `p4 feature maps: ${n === 1 ? 'channels' : 'examples × channels'} ↓, orientations 0° 90° 180° 270° →${note}`,
    );
  }

  // Rank 4 and above: panels over the last two dimensions, indexed by the leading ones.
  const h = shape[rank - 2]!;
  const w = shape[rank - 1]!;
  const lead = shape.slice(0, rank - 2);
  const count = product(lead);
  const { n: shown, note } = capped(count, maxPanels);
  const name = (i: number): string => {
    if (rank !== 4) return `slice ${i + 1}`;
    const c = lead[1]!;
    const outer = Math.floor(i / c) + 1;
    const inner = (i % c) + 1;
    if (hint.parameter) return `filter ${outer}, input channel ${inner}`;
    return c === 1 ? `example ${outer}` : `example ${outer}, channel ${inner}`;
  };
  const specs = Array.from({ length: shown }, (_, i) => ({
    rows: h,
    cols: w,
    offset: i * h * w,
    rowStride: w,
    colStride: 1,
    count: h * w,
    label: name(i),
  }));
  const images = hint.images === true && rank === 4;
  const [n, c] = rank === 4 ? (lead as [number, number]) : [1, count];
  // Several examples of a few channels read best as rows = examples, columns = channels.
  const byExample = rank === 4 && !images && n > 1 && c > 1 && c <= 16 && shown === count;
  const cols = byExample ? c : gridColumns(shown, h, w, aspect);
  if (images)
    return arrange(
      'images',
      specs,
      cols,
      'ink',
      `${c === 1 ? 'images' : 'image channels'} as drawn (dark = high)${note}`,
    );
  const caption =
    rank !== 4
      ? `${count} slices of ${h}×${w}${note}`
      : hint.parameter
        ? `filters: one tile per output × input channel${note}`
        : byExample
          ? `feature maps: examples ↓, channels →`
          : `feature maps: one tile per channel${note}`;
  return arrange('tiles', specs, cols, 'diverging', caption);
}
