import { MiniMap, useStore } from '@xyflow/react';
import type { ReactFlowState } from '@xyflow/react';
import type { ReactElement } from 'react';

const MINIMAP_SIZE = { width: 160, height: 110 };
/** React Flow's panel margin around the minimap (15 px) plus a little air. */
const MARGIN = 20;
/** Below this canvas size the minimap would take too much of the view: it stays hidden. */
const MIN_CANVAS = { width: 860, height: 480 };

/**
 * Whether the minimap would be in the way: on a small canvas, or over any node on screen
 * (bottom-right corner). Computed from React Flow's store, so it follows pans and zooms.
 */
function minimapInTheWay(s: ReactFlowState): boolean {
  if (s.width < MIN_CANVAS.width || s.height < MIN_CANVAS.height) return true;
  const [tx, ty, zoom] = s.transform;
  const left = s.width - MINIMAP_SIZE.width - MARGIN;
  const top = s.height - MINIMAP_SIZE.height - MARGIN;
  for (const n of s.nodeLookup.values()) {
    const p = n.internals.positionAbsolute;
    const right = (p.x + (n.measured.width ?? 0)) * zoom + tx;
    const bottom = (p.y + (n.measured.height ?? 0)) * zoom + ty;
    if (right > left && bottom > top && p.x * zoom + tx < s.width && p.y * zoom + ty < s.height) return true;
  }
  return false;
}

/** The canvas's minimap, hidden while it would cover a node or crowd a small window. */
export function CanvasMinimap(): ReactElement | null {
  const hidden = useStore(minimapInTheWay);
  if (hidden) return null;
  return (
    <MiniMap
      pannable
      zoomable
      style={MINIMAP_SIZE}
      className="minimap"
      nodeClassName={(n) => `minimap-node ${String(n.type)}`}
    />
  );
}
