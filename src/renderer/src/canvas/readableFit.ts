/**
 * Where the canvas looks when a graph is opened, laid out or fitted: the whole graph when it can
 * be read that way, otherwise its full width, otherwise its top-left corner at a readable zoom —
 * never so far out that node text and edge glyphs cannot be read (on a laptop or a projector).
 */

/** Below this zoom node text and tensor glyphs are too small to read (13 px text becomes < 10 px). */
export const READABLE_ZOOM = 0.75;
/** A small graph is not blown up past this: it would look like a different app. */
export const MAX_FIT_ZOOM = 1.1;
/** Presenter mode blows a small graph up further: the room reads it from metres away. */
export const PRESENTER_MAX_FIT_ZOOM = 1.6;
/** Screen pixels kept free around the fitted graph. */
export const FIT_PADDING = 28;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/**
 * The viewport (React Flow's translate and zoom) that shows `graph` (flow coordinates) in a
 * canvas of `view` pixels:
 * - the whole graph, centred, when that needs no less than READABLE_ZOOM;
 * - else its whole width (from the top, the rest reached by scrolling down) when that is readable;
 * - else READABLE_ZOOM from the graph's top-left corner (data flows left to right: the reader
 *   starts where the data enters), centred vertically when the height fits.
 */
export function readableViewport(
  graph: Box,
  view: { width: number; height: number },
  pad = FIT_PADDING,
  maxZoom = MAX_FIT_ZOOM,
): Viewport {
  const w = Math.max(1, graph.width);
  const h = Math.max(1, graph.height);
  const availW = Math.max(1, view.width - 2 * pad);
  const availH = Math.max(1, view.height - 2 * pad);
  const whole = Math.min(availW / w, availH / h, maxZoom);
  if (whole >= READABLE_ZOOM) {
    return {
      zoom: whole,
      x: view.width / 2 - (graph.x + w / 2) * whole,
      y: view.height / 2 - (graph.y + h / 2) * whole,
    };
  }
  const zoom = Math.max(READABLE_ZOOM, Math.min(availW / w, maxZoom));
  const x = w * zoom <= availW ? view.width / 2 - (graph.x + w / 2) * zoom : pad - graph.x * zoom;
  const y = h * zoom <= availH ? view.height / 2 - (graph.y + h / 2) * zoom : pad - graph.y * zoom;
  return { zoom, x, y };
}
