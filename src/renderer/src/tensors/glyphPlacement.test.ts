import { describe, expect, it } from 'vitest';
import { GLYPH_SCALES, placeGlyph, placeGlyphs, wireAnchors } from './glyphPlacement';
import type { Rect } from './glyphPlacement';

const size = { w: 100, h: 60 };

function covers(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('glyph placement', () => {
  it('puts the glyph above the midpoint of a wire on an open canvas, at full size', () => {
    const p = placeGlyph(wireAnchors({ x: 0, y: 100 }, { x: 200, y: 100 }), size, []);
    expect(p.side).toBe('above');
    expect(p.scale).toBe(1);
    expect(p.anchor.x).toBeCloseTo(100);
    expect(p.anchor.y).toBeCloseTo(100);
    expect(p.box.y + p.box.h).toBeLessThanOrEqual(100);
    expect(p.overlap).toBe(0);
  });

  it('goes below when a node sits above the wire', () => {
    const above: Rect = { x: 40, y: -40, w: 120, h: 80 };
    const p = placeGlyph(wireAnchors({ x: 0, y: 100 }, { x: 200, y: 100 }), size, [above]);
    expect(p.side).toBe('below');
    expect(covers(p.box, above)).toBe(false);
  });

  it('takes the less crowded side when both are free', () => {
    // A node far above and one just below the free band: above has more room.
    const nodes: Rect[] = [
      { x: 0, y: -200, w: 200, h: 40 },
      { x: 0, y: 210, w: 200, h: 40 },
    ];
    const p = placeGlyph(wireAnchors({ x: 0, y: 100 }, { x: 200, y: 100 }), size, nodes);
    expect(p.overlap).toBe(0);
    expect(p.side).toBe('above');
    const q = placeGlyph(wireAnchors({ x: 0, y: 100 }, { x: 200, y: 100 }), size, [
      { x: 0, y: -10, w: 200, h: 40 },
      { x: 0, y: 400, w: 200, h: 40 },
    ]);
    expect(q.side).toBe('below');
  });

  it('shrinks the glyph in a narrow gap and never covers a node when some spot is free', () => {
    // Two nodes 80 px apart joined by a short wire, with rows of nodes right above and below:
    // the 100 px wide glyph only fits into the gap between them at a smaller scale.
    const nodes: Rect[] = [
      { x: -150, y: 30, w: 150, h: 140 },
      { x: 80, y: 30, w: 150, h: 140 },
      { x: -150, y: -60, w: 400, h: 50 },
      { x: -150, y: 210, w: 400, h: 50 },
    ];
    const p = placeGlyph(wireAnchors({ x: 0, y: 100 }, { x: 80, y: 100 }), size, nodes);
    expect(p.overlap).toBe(0);
    expect(p.scale).toBeLessThan(1);
    for (const n of nodes) expect(covers(p.box, n), JSON.stringify(n)).toBe(false);
  });

  it('when nothing is free, covers as little as it can at the smallest scale', () => {
    const wall: Rect = { x: -1000, y: -1000, w: 2000, h: 2000 };
    const p = placeGlyph(wireAnchors({ x: 0, y: 0 }, { x: 50, y: 0 }), size, [wall]);
    expect(p.scale).toBe(GLYPH_SCALES.at(-1));
    expect(p.overlap).toBeGreaterThan(0);
  });

  it('follows the curve of a wire that climbs', () => {
    const a = wireAnchors({ x: 0, y: 200 }, { x: 100, y: 0 });
    expect(a[0]!.x).toBeCloseTo(50);
    expect(a[0]!.y).toBeCloseTo(100);
    // The other anchors lie between the ends, on both sides of the midpoint.
    expect(a.some((p) => p.y > 100) && a.some((p) => p.y < 100)).toBe(true);
  });

  it('places the glyphs of a fan of wires so that none covers another or a node', () => {
    // One node feeding four close, parallel wires (a batch's fan-out): alone, every glyph would
    // take the same spot above its own midpoint, one on top of the next.
    const nodes: Rect[] = [
      { x: -160, y: 0, w: 160, h: 200 },
      { x: 200, y: 0, w: 160, h: 200 },
    ];
    const requests = [0, 1, 2, 3].map((k) => ({
      id: `e${k}`,
      anchors: wireAnchors({ x: 0, y: 40 + 30 * k }, { x: 200, y: 40 + 30 * k }),
      ...size,
    }));
    const alone = requests.map((r) => placeGlyph(r.anchors, r, nodes));
    expect(alone.some((p, i) => alone.some((q, j) => j > i && covers(p.box, q.box)))).toBe(true);
    const places = placeGlyphs(requests, nodes);
    const boxes = requests.map((r) => places.get(r.id)!.box);
    boxes.forEach((b, i) => {
      for (const n of nodes) expect(covers(b, n)).toBe(false);
      boxes.forEach((c, j) => j > i && expect(covers(b, c), `e${i} × e${j}`).toBe(false));
    });
  });

  it('gives the same places whatever order the wires come in', () => {
    const requests = [0, 1, 2].map((k) => ({
      id: `e${k}`,
      anchors: wireAnchors({ x: 10 * k, y: 0 }, { x: 200, y: 30 * k }),
      ...size,
    }));
    const a = placeGlyphs(requests, []);
    const b = placeGlyphs([...requests].reverse(), []);
    for (const r of requests) expect(b.get(r.id)).toEqual(a.get(r.id));
  });
});
