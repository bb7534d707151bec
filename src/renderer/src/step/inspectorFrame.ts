/** Where the floating tensor inspector sits, in pixels relative to its positioned parent. */
export interface Frame {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Smallest useful inspector: its header, the tabs and a few rows of values. */
export const MIN_FRAME = { w: 280, h: 180 } as const;

/**
 * The frame moved or resized as little as possible so that it lies inside `bounds` (the canvas
 * area): no smaller than MIN_FRAME unless the bounds themselves are smaller, never larger than
 * the bounds, and shifted back inside when it sticks out.
 *
 * @example clampFrame({ x: -50, y: 0, w: 300, h: 200 }, { x: 0, y: 0, w: 800, h: 600 }).x // 0
 */
export function clampFrame(f: Frame, bounds: Frame): Frame {
  const w = Math.min(Math.max(f.w, Math.min(MIN_FRAME.w, bounds.w)), bounds.w);
  const h = Math.min(Math.max(f.h, Math.min(MIN_FRAME.h, bounds.h)), bounds.h);
  const x = Math.min(Math.max(f.x, bounds.x), bounds.x + bounds.w - w);
  const y = Math.min(Math.max(f.y, bounds.y), bounds.y + bounds.h - h);
  return { x, y, w, h };
}

/** The frame dragged by (dx, dy) from where the drag started, kept inside the bounds. */
export function moveFrame(start: Frame, dx: number, dy: number, bounds: Frame): Frame {
  return clampFrame({ ...start, x: start.x + dx, y: start.y + dy }, bounds);
}

/**
 * The frame resized from its bottom-right corner by (dx, dy): the top-left corner stays put, and
 * the size stops at the bounds' edge instead of pushing the frame out of them.
 */
export function resizeFrame(start: Frame, dx: number, dy: number, bounds: Frame): Frame {
  const w = Math.min(start.w + dx, bounds.x + bounds.w - start.x);
  const h = Math.min(start.h + dy, bounds.y + bounds.h - start.y);
  return clampFrame({ ...start, w, h }, bounds);
}
