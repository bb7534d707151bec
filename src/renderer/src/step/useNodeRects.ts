import { useStore } from '@xyflow/react';
import type { ReactFlowState } from '@xyflow/react';
import { useMemo } from 'react';
import type { Rect } from '../tensors/glyphPlacement';

/** Every measured node's box as one string, so that a component re-renders only when a box changes. */
function rectKey(s: ReactFlowState): string {
  let key = '';
  for (const n of s.nodeLookup.values()) {
    const w = n.measured.width;
    const h = n.measured.height;
    if (!w || !h || n.hidden) continue;
    const p = n.internals.positionAbsolute;
    key += `${Math.round(p.x)},${Math.round(p.y)},${Math.round(w)},${Math.round(h)};`;
  }
  return key;
}

/** The last boxes read, shared by every caller so that the glyphs' joint placement runs once per change. */
let shared: { key: string; rects: Rect[] } = { key: '', rects: [] };

function rectsOf(key: string): Rect[] {
  if (shared.key !== key) {
    const rects = key
      .split(';')
      .filter(Boolean)
      .map((r) => {
        const [x, y, w, h] = r.split(',').map(Number) as [number, number, number, number];
        return { x, y, w, h };
      });
    shared = { key, rects };
  }
  return shared.rects;
}

/** The boxes of the canvas's nodes in flow coordinates, for keeping edge glyphs off them. */
export function useNodeRects(): Rect[] {
  const key = useStore(rectKey);
  return useMemo(() => rectsOf(key), [key]);
}
