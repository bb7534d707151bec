import { describe, expect, it } from 'vitest';
import { clampFrame, MIN_FRAME, moveFrame, resizeFrame } from './inspectorFrame';

const bounds = { x: 0, y: 0, w: 800, h: 600 };

describe('inspector frame', () => {
  it('keeps a dragged frame inside the canvas area on every side', () => {
    const f = { x: 100, y: 100, w: 300, h: 200 };
    expect(moveFrame(f, 50, 20, bounds)).toEqual({ x: 150, y: 120, w: 300, h: 200 });
    expect(moveFrame(f, -500, -500, bounds)).toEqual({ x: 0, y: 0, w: 300, h: 200 });
    expect(moveFrame(f, 900, 900, bounds)).toEqual({ x: 500, y: 400, w: 300, h: 200 });
  });

  it('resizes from the corner, never below the minimum nor past the bounds', () => {
    const f = { x: 100, y: 100, w: 300, h: 200 };
    expect(resizeFrame(f, 40, 60, bounds)).toEqual({ x: 100, y: 100, w: 340, h: 260 });
    expect(resizeFrame(f, -1000, -1000, bounds)).toEqual({ x: 100, y: 100, ...MIN_FRAME });
    // Growing stops at the edge; the top-left corner does not move.
    expect(resizeFrame(f, 5000, 5000, bounds)).toEqual({ x: 100, y: 100, w: 700, h: 500 });
  });

  it('shrinks a frame to bounds smaller than itself and than the minimum', () => {
    expect(clampFrame({ x: 10, y: 10, w: 900, h: 700 }, bounds)).toEqual(bounds);
    const tiny = { x: 20, y: 30, w: 200, h: 100 };
    expect(clampFrame({ x: 0, y: 0, w: 300, h: 200 }, tiny)).toEqual(tiny);
  });
});
