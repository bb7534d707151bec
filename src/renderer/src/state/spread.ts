import type { GraphDoc } from './docModel';

/** The size the canvas draws a typical node at (see .gnode in canvas.css). */
export const NODE_WIDTH = 176;
export const NODE_HEIGHT = 76;
const GRID = 10;

/**
 * Files written by other tools (or by hand) may place nodes closer than the canvas draws them.
 * This stretches the layout, keeping its arrangement, until neighbours no longer overlap; a
 * layout that already fits is returned unchanged (so loading twice changes nothing).
 */
export function spreadToFit(doc: GraphDoc, gapX = 48, gapY = 28): GraphDoc {
  const nodes = doc.graph.nodes;
  let fx = 1;
  let fy = 1;
  for (let i = 0; i < nodes.length; i++) {
    for (let j = 0; j < nodes.length; j++) {
      if (i === j) continue;
      const a = nodes[i].position;
      const b = nodes[j].position;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const overlapX = Math.abs(dx) < NODE_WIDTH + gapX;
      const overlapY = Math.abs(dy) < NODE_HEIGHT + gapY;
      if (!overlapX || !overlapY) continue;
      // Stretch along the axis on which the two are further apart: that keeps rows as rows.
      // (+ GRID: snapping to the grid afterwards may take back up to one grid step.)
      if (Math.abs(dx) / (NODE_WIDTH + gapX) >= Math.abs(dy) / (NODE_HEIGHT + gapY)) {
        if (dx > 0) fx = Math.max(fx, (NODE_WIDTH + gapX + GRID) / dx);
      } else if (dy > 0) fy = Math.max(fy, (NODE_HEIGHT + gapY + GRID) / dy);
    }
  }
  // Nodes on the very same spot cannot be separated by stretching; they stay for the user to move.
  fx = Math.min(fx, 4);
  fy = Math.min(fy, 4);
  if (fx === 1 && fy === 1) return doc;
  const snap = (v: number): number => Math.round(v / GRID) * GRID;
  return {
    ...doc,
    graph: {
      nodes: nodes.map((n) => ({ ...n, position: { x: snap(n.position.x * fx), y: snap(n.position.y * fy) } })),
      edges: doc.graph.edges,
    },
  };
}
