import { describe, expect, it } from 'vitest';
import { fitScale, hitTest, unravelIndex } from './glyphGeometry';
import { gridColumns, layoutGlyph, stripWidth } from './glyphLayout';
import type { GlyphLayout } from './glyphLayout';

/** Every flat index a layout draws, in drawing order. */
function drawnIndices(l: GlyphLayout): number[] {
  const out: number[] = [];
  for (const p of l.panels)
    for (let r = 0; r < p.rows; r++)
      for (let c = 0; c < p.cols && r * p.cols + c < p.count; c++)
        out.push(p.offset + r * p.rowStride + c * p.colStride);
  return out;
}

function panelsOverlap(l: GlyphLayout): boolean {
  return l.panels.some((a, i) =>
    l.panels.some(
      (b, j) => i < j && a.x < b.x + b.cols && b.x < a.x + a.cols && a.y < b.y + b.rows && b.y < a.y + a.rows,
    ),
  );
}

describe('glyph layout by shape', () => {
  it('shows a scalar as one cell and an empty tensor as nothing', () => {
    expect(layoutGlyph([]).kind).toBe('scalar');
    expect(layoutGlyph([1, 1]).kind).toBe('scalar');
    expect(layoutGlyph([0, 4]).kind).toBe('empty');
  });

  it('draws a vector as a colour strip, wrapped into a block when long', () => {
    const short = layoutGlyph([8]);
    expect(short).toMatchObject({ kind: 'strip', width: 8, height: 1 });
    const long = layoutGlyph([1000]);
    expect(long.kind).toBe('strip');
    expect(long.width).toBe(stripWidth(1000));
    expect(long.height).toBe(Math.ceil(1000 / long.width));
    expect(drawnIndices(long)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('draws batch × features as a heat map with examples as rows', () => {
    const l = layoutGlyph([4, 8]);
    expect(l).toMatchObject({ kind: 'heatmap', width: 8, height: 4 });
    expect(hitTest(l, 2, 3)?.index).toBe(3 * 8 + 2);
    expect(layoutGlyph([1, 8]).kind).toBe('strip');
  });

  it('draws a weight matrix and square attention weights as the matrix', () => {
    expect(layoutGlyph([8, 2], { parameter: true }).kind).toBe('matrix');
    const att = layoutGlyph([2, 5, 5], { attention: true });
    expect(att.kind).toBe('matrix');
    expect(att.panels).toHaveLength(2);
    expect(layoutGlyph([5, 5], { attention: true }).kind).toBe('matrix');
  });

  it('draws a sequence with time across and features down, one panel per example', () => {
    const l = layoutGlyph([2, 6, 3], { portKind: 'sequence' });
    expect(l.kind).toBe('sequence');
    expect(l.panels).toHaveLength(2);
    const p = l.panels[1]!;
    expect([p.rows, p.cols]).toEqual([3, 6]);
    // Cell (feature 2, time 4) of example 2 is x[1, 4, 2].
    const hit = hitTest(l, p.x + 4, p.y + 2);
    expect(unravelIndex(hit!.index, [2, 6, 3])).toEqual([1, 4, 2]);
  });

  it('draws feature maps as channel tiles, examples as rows when there are several', () => {
    const one = layoutGlyph([1, 8, 6, 6]);
    expect(one.kind).toBe('tiles');
    expect(one.panels).toHaveLength(8);
    expect(one.panels[3]!.label).toBe('example 1, channel 4');
    const several = layoutGlyph([3, 4, 6, 6]);
    expect(several.width).toBe(4 * 7 - 1);
    expect(several.height).toBe(3 * 7 - 1);
    const hit = hitTest(several, 2 * 7 + 5, 1 * 7 + 3);
    expect(unravelIndex(hit!.index, [3, 4, 6, 6])).toEqual([1, 2, 3, 5]);
    expect(hitTest(several, 6, 0)).toBeNull(); // the gap between two tiles
  });

  it('draws the input images in greyscale', () => {
    const l = layoutGlyph([4, 1, 8, 8], { images: true });
    expect(l.kind).toBe('images');
    expect(l.palette).toBe('ink');
    expect(l.panels[2]!.label).toBe('example 3');
  });

  it('draws a p4 map as rows of four orientation tiles', () => {
    const l = layoutGlyph([1, 3, 4, 5, 5]);
    expect(l.panels).toHaveLength(12);
    expect(l.panels[5]!.label).toBe('channel 2, orientation 90°');
    expect(l.panels[5]!.x).toBe(6);
    expect(l.panels[5]!.y).toBe(6);
    expect(l.panels[5]!.offset).toBe(5 * 25);
    expect(l.caption).toContain('orientations 0° 90° 180° 270°');
    expect(layoutGlyph([2, 3, 4, 3, 3], { parameter: true }).caption).not.toContain('p4');
  });

  it('caps the number of panels and says so', () => {
    const l = layoutGlyph([100, 4, 4, 4], {}, { maxPanels: 10 });
    expect(l.panels).toHaveLength(10);
    expect(l.caption).toContain('first 10 of 400');
  });

  it('draws every value exactly once, in panels that never overlap', () => {
    const shapes: [number[], object][] = [
      [[7], {}],
      [[300], {}],
      [[5, 9], {}],
      [[3, 4, 5], { portKind: 'sequence' }],
      [[3, 4, 4], { attention: true }],
      [[2, 3, 5, 4], {}],
      [[6, 2, 3, 3], { parameter: true }],
      [[5, 1, 8, 8], { images: true }],
      [[2, 2, 2, 3, 3], {}],
    ];
    for (const [shape, hint] of shapes) {
      const l = layoutGlyph(shape, hint);
      const n = shape.reduce((a, b) => a * b, 1);
      expect(
        drawnIndices(l).sort((a, b) => a - b),
        JSON.stringify(shape),
      ).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(panelsOverlap(l), JSON.stringify(shape)).toBe(false);
      for (const p of l.panels) {
        expect(p.x + p.cols).toBeLessThanOrEqual(l.width);
        expect(p.y + p.rows).toBeLessThanOrEqual(l.height);
      }
    }
  });
});

describe('grid and scale helpers', () => {
  it('arranges tiles close to the wanted aspect ratio', () => {
    expect(gridColumns(16, 8, 8, 1)).toBe(4);
    expect(gridColumns(8, 8, 8, 2)).toBe(4);
    expect(gridColumns(1, 8, 8, 2)).toBe(1);
    expect(gridColumns(4, 8, 8, 2)).toBe(2); // 2×2 rather than 3 + 1
  });

  it('scales up by whole pixels and down by fractions', () => {
    expect(fitScale({ width: 8, height: 1 }, 160, 80)).toBe(14);
    expect(fitScale({ width: 30, height: 20 }, 160, 80)).toBe(4);
    expect(fitScale({ width: 320, height: 10 }, 160, 80)).toBe(0.5);
  });

  it('unravels row-major indices', () => {
    expect(unravelIndex(0, [2, 3])).toEqual([0, 0]);
    expect(unravelIndex(5, [2, 3])).toEqual([1, 2]);
    expect(unravelIndex(23, [2, 3, 4])).toEqual([1, 2, 3]);
  });
});
