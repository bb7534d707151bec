/**
 * Where an edge's tensor glyph goes so that it covers no node: beside a point of the wire, on
 * the side with more room, shrunk only when no full-size spot is free. Pure geometry in flow
 * coordinates (the glyph and the nodes live in the same transformed layer).
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

export type GlyphSide = 'above' | 'below' | 'left' | 'right';

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
  /** Area of nodes the box still covers (0 when a free spot was found). */
  readonly overlap: number;
}

/** How much larger glyphs are drawn in presenter mode (for a projector). */
export const PRESENTER_GLYPH_SCALE = 1.4;

/** Scales tried in order: natural size first, smaller only when nothing at that size is free. */
export const GLYPH_SCALES = [1, 0.75, 0.55] as const;
/** Stem lengths tried in order, in flow pixels. */
export const GLYPH_STEMS = [44, 24, 10] as const;
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
  return [0.5, 0.35, 0.65, 0.22, 0.78].map((t) => bezierPoint(source, c0, c1, target, t));
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
const SIDE_GROUPS: readonly (readonly GlyphSide[])[] = [
  ['above', 'below'],
  ['left', 'right'],
];

/**
 * Picks the first free spot trying, in order, the scales (largest first), the anchors (the
 * wire's midpoint first), the stem lengths (longest first) and the sides; among the free sides
 * of one group it takes the one farthest from every node (the less crowded side). When no spot
 * is free it takes the one covering the least node area, at the smallest scale.
 *
 * @example placeGlyph(wireAnchors(s, t), { w: 120, h: 70 }, nodeRects).side // 'above' on an open canvas
 */
export function placeGlyph(
  anchors: readonly Point[],
  size: { readonly w: number; readonly h: number },
  obstacles: readonly Rect[],
): GlyphPlacement {
  let best: GlyphPlacement | null = null;
  for (const scale of GLYPH_SCALES) {
    const w = size.w * scale;
    const h = size.h * scale;
    for (const anchor of anchors) {
      for (const stem of GLYPH_STEMS) {
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
