import { describe, expect, it } from 'vitest';
import { FIT_PADDING, MAX_FIT_ZOOM, PRESENTER_MAX_FIT_ZOOM, READABLE_ZOOM, readableViewport } from './readableFit';

const view = { width: 900, height: 500 };
/** The graph's box on screen under viewport `v`. */
const onScreen = (
  g: { x: number; y: number; width: number; height: number },
  v: { x: number; y: number; zoom: number },
) => ({
  left: g.x * v.zoom + v.x,
  top: g.y * v.zoom + v.y,
  right: (g.x + g.width) * v.zoom + v.x,
  bottom: (g.y + g.height) * v.zoom + v.y,
});

describe('readableViewport', () => {
  it('centres a small graph without blowing it up past the largest fit zoom', () => {
    const g = { x: 100, y: 50, width: 200, height: 100 };
    const v = readableViewport(g, view);
    expect(v.zoom).toBe(MAX_FIT_ZOOM);
    const s = onScreen(g, v);
    expect((s.left + s.right) / 2).toBeCloseTo(450);
    expect((s.top + s.bottom) / 2).toBeCloseTo(250);
  });

  it('lets presenter mode blow a small graph up further, still whole and centred', () => {
    const g = { x: 100, y: 50, width: 400, height: 200 };
    const v = readableViewport(g, view, FIT_PADDING, PRESENTER_MAX_FIT_ZOOM);
    expect(v.zoom).toBeGreaterThan(MAX_FIT_ZOOM);
    expect(v.zoom).toBeLessThanOrEqual(PRESENTER_MAX_FIT_ZOOM);
    const s = onScreen(g, v);
    expect(s.left).toBeGreaterThanOrEqual(FIT_PADDING - 1e-9);
    expect(s.right).toBeLessThanOrEqual(view.width - FIT_PADDING + 1e-9);
    expect((s.top + s.bottom) / 2).toBeCloseTo(250);
  });

  it('shows the whole graph when that is readable', () => {
    const g = { x: -40, y: 0, width: 1000, height: 400 };
    const v = readableViewport(g, view);
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    const s = onScreen(g, v);
    expect(s.left).toBeGreaterThanOrEqual(0);
    expect(s.right).toBeLessThanOrEqual(view.width);
    expect(s.top).toBeGreaterThanOrEqual(0);
    expect(s.bottom).toBeLessThanOrEqual(view.height);
  });

  it('fits the width and starts at the top of a tall graph (the rest is scrolled to)', () => {
    const g = { x: 0, y: 0, width: 800, height: 2000 };
    const v = readableViewport(g, view);
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    const s = onScreen(g, v);
    expect(s.left).toBeGreaterThanOrEqual(0);
    expect(s.right).toBeLessThanOrEqual(view.width);
    expect(s.top).toBeGreaterThan(0);
    expect(s.top).toBeLessThan(60);
  });

  it('never goes below the readable zoom: a very wide graph starts at its left edge', () => {
    const g = { x: 300, y: 20, width: 4000, height: 300 };
    const v = readableViewport(g, view);
    expect(v.zoom).toBe(READABLE_ZOOM);
    const s = onScreen(g, v);
    expect(s.left).toBeGreaterThan(0);
    expect(s.left).toBeLessThan(60);
    // The height fits: centred vertically.
    expect((s.top + s.bottom) / 2).toBeCloseTo(250);
  });
});
