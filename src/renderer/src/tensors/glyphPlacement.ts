/**
 * Where an edge's tensor glyph goes so that it covers no node and no other glyph: beside a point
 * of the wire, on the side with more room, shrunk only when no full-size spot is free. Pure
 * geometry in flow coordinates (the glyph and the nodes live in the same transformed layer).
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A rectangle by its top-left corner and size. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Where the box is against its anchor: centred on the wire ('on', a shape label), or on a stem beside it. */
export type GlyphSide = 'on' | 'above' | 'below' | 'left' | 'right';

/** How a box may be placed (a glyph: any of the scales, on a stem; a shape label: on the wire first, never shrunk). */
export interface PlaceOptions {
  /** Try the box centred on the wire's anchors first (no stem). */
  readonly onWire?: boolean;
  /** Scales tried, largest first (default GLYPH_SCALES). */
  readonly scales?: readonly number[];
  /** Stem lengths tried first, in flow pixels (default GLYPH_STEMS). */
  readonly stems?: readonly number[];
}

/** A shape label: on the wire where it is free, else just beside it, always at its natural size. */
export const LABEL_PLACEMENT: PlaceOptions = { onWire: true, scales: [1], stems: [8, 20, 44] };

export interface GlyphPlacement {
  /** The point of the wire the stem starts from. */
  readonly anchor: Point;
  /** The point of the glyph's box the stem ends at (the middle of the side facing the wire). */
  readonly attach: Point;
  readonly side: GlyphSide;
  /** CSS scale of the glyph (1 = its natural size). */
  readonly scale: number;
  /** The glyph's box, scaled, in flow coordinates. */
  readonly box: Rect;
  /** Area of obstacles (nodes, glyphs placed before) the box still covers (0 when a free spot was found). */
  readonly overlap: number;
}

/** How much larger glyphs are drawn in presenter mode (for a projector). */
export const PRESENTER_GLYPH_SCALE = 1.4;

/** Scales tried in order: natural size first, smaller only when nothing at that size is free. */
export const GLYPH_SCALES = [1, 0.75, 0.55, 0.4] as const;
/** Stem lengths tried in order, in flow pixels. */
export const GLYPH_STEMS = [44, 24, 10] as const;
/** Longer stems, tried at every scale only when no short stem finds a free spot (a crowded graph). */
export const GLYPH_FAR_STEMS = [72, 110, 160] as const;
/** Free space kept around a node. */
const MARGIN = 4;

/** A point of a cubic Bézier curve at parameter t. */
export function bezierPoint(p0: Point, c0: Point, c1: Point, p1: Point, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * p0.x + b * c0.x + c * c1.x + d * p1.x, y: a * p0.y + b * c0.y + c * c1.y + d * p1.y };
}

/**
 * Points along an edge drawn by React Flow's bezier path from a right-hand source handle to a
 * left-hand target handle (how every wire here runs): the midpoint first, then points further
 * from it. Its control points follow @xyflow/system's getBezierPath (curvature 0.25).
 */
export function wireAnchors(source: Point, target: Point): Point[] {
  const offset = (d: number): number => (d >= 0 ? 0.5 * d : 0.25 * 25 * Math.sqrt(-d));
  const c0 = { x: source.x + offset(target.x - source.x), y: source.y };
  const c1 = { x: target.x - offset(target.x - source.x), y: target.y };
  return [0.5, 0.35, 0.65, 0.22, 0.78, 0.1, 0.9].map((t) => bezierPoint(source, c0, c1, target, t));
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w + MARGIN) - Math.max(a.x, b.x - MARGIN);
  const h = Math.min(a.y + a.h, b.y + b.h + MARGIN) - Math.max(a.y, b.y - MARGIN);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Distance between two rectangles (0 when they touch or overlap). */
function gap(a: Rect, b: Rect): number {
  const dx = Math.max(0, b.x - (a.x + a.w), a.x - (b.x + b.w));
  const dy = Math.max(0, b.y - (a.y + a.h), a.y - (b.y + b.h));
  return Math.hypot(dx, dy);
}

function boxAt(anchor: Point, side: GlyphSide, stem: number, w: number, h: number): { box: Rect; attach: Point } {
  switch (side) {
    case 'on':
      return { attach: anchor, box: { x: anchor.x - w / 2, y: anchor.y - h / 2, w, h } };
    case 'above':
      return {
        attach: { x: anchor.x, y: anchor.y - stem },
        box: { x: anchor.x - w / 2, y: anchor.y - stem - h, w, h },
      };
    case 'below':
      return { attach: { x: anchor.x, y: anchor.y + stem }, box: { x: anchor.x - w / 2, y: anchor.y + stem, w, h } };
    case 'left':
      return {
        attach: { x: anchor.x - stem, y: anchor.y },
        box: { x: anchor.x - stem - w, y: anchor.y - h / 2, w, h },
      };
    case 'right':
      return { attach: { x: anchor.x + stem, y: anchor.y }, box: { x: anchor.x + stem, y: anchor.y - h / 2, w, h } };
  }
}

/** Sides tried in groups: above or below the wire first; beside it (along the wire) only when neither is free. */
const SIDE_GROUPS: readonly (readonly Exclude<GlyphSide, 'on'>[])[] = [
  ['above', 'below'],
  ['left', 'right'],
];

/**
 * Picks the first free spot trying, in order, the scales (largest first), the anchors (the
 * wire's midpoint first), the stem lengths (longest first) and the sides; among the free sides
 * of one group it takes the one farthest from every node (the less crowded side). Only when no
 * short stem leads to a free spot are the long ones tried. When no spot is free it takes the one
 * covering the least area, at the smallest scale. With `onWire` (a shape label), the box centred
 * on an anchor comes first, where that is free.
 *
 * @example placeGlyph(wireAnchors(s, t), { w: 120, h: 70 }, nodeRects).side // 'above' on an open canvas
 */
export function placeGlyph(
  anchors: readonly Point[],
  size: { readonly w: number; readonly h: number },
  obstacles: readonly Rect[],
  options: PlaceOptions = {},
): GlyphPlacement {
  const covered = (box: Rect): number => obstacles.reduce((sum, r) => sum + overlapArea(box, r), 0);
  if (options.onWire) {
    for (const anchor of anchors) {
      const { box, attach } = boxAt(anchor, 'on', 0, size.w, size.h);
      if (covered(box) === 0) return { anchor, attach, side: 'on', scale: 1, box, overlap: 0 };
    }
  }
  let best: GlyphPlacement | null = null;
  for (const stems of [options.stems ?? GLYPH_STEMS, GLYPH_FAR_STEMS]) {
    for (const scale of options.scales ?? GLYPH_SCALES) {
      const w = size.w * scale;
      const h = size.h * scale;
      for (const anchor of anchors) {
        for (const stem of stems) {
          for (const group of SIDE_GROUPS) {
            let free: GlyphPlacement | null = null;
            let freeGap = -1;
            for (const side of group) {
              const { box, attach } = boxAt(anchor, side, stem, w, h);
              let overlap = 0;
              let nearest = Infinity;
              for (const r of obstacles) {
                overlap += overlapArea(box, r);
                nearest = Math.min(nearest, gap(box, r));
              }
              const p: GlyphPlacement = { anchor, attach, side, scale, box, overlap };
              if (overlap === 0) {
                // The first side wins ties: glyphs line up above a row of nodes, as they read best.
                if (nearest > freeGap + 1e-9) {
                  free = p;
                  freeGap = nearest;
                }
              } else if (!best || overlap < best.overlap || (overlap === best.overlap && scale < best.scale)) {
                best = p;
              }
            }
            if (free) return free;
          }
        }
      }
    }
  }
  if (best) return best;
  // No anchors at all: nothing to avoid either, so the plain spot above the origin.
  const origin = { x: 0, y: 0 };
  return {
    ...boxAt(origin, 'above', GLYPH_STEMS[0], size.w, size.h),
    anchor: origin,
    side: 'above',
    scale: 1,
    overlap: 0,
  };
}

/** One edge's glyph to place: the points of its wire and its natural size. */
export interface GlyphRequest {
  readonly id: string;
  readonly anchors: readonly Point[];
  readonly w: number;
  readonly h: number;
  readonly options?: PlaceOptions;
}

/**
 * Places every glyph (and shape label) of the canvas so that none covers a node or another: one at a time,
 * from the left of the graph to its right (then top to bottom, then by id, so the answer does not
 * depend on the order edges were drawn in), each avoiding the nodes and the glyphs placed before it.
 *
 * @example placeGlyphs([{ id: 'e1', anchors, w: 120, h: 70 }], nodeRects).get('e1')?.side
 */
export function placeGlyphs(requests: readonly GlyphRequest[], nodes: readonly Rect[]): Map<string, GlyphPlacement> {
  const origin = (r: GlyphRequest): Point => r.anchors[0] ?? { x: 0, y: 0 };
  const order = [...requests].sort(
    (a, b) => origin(a).x - origin(b).x || origin(a).y - origin(b).y || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const obstacles: Rect[] = [...nodes];
  const placed = new Map<string, GlyphPlacement>();
  for (const r of order) {
    const p = placeGlyph(r.anchors, r, obstacles, r.options);
    placed.set(r.id, p);
    obstacles.push(p.box);
  }
  return placed;
}
