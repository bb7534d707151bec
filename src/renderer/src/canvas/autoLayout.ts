import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { FIT_PADDING, READABLE_ZOOM } from './readableFit';

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
}

// Worker-less ELK: the bundled build runs on the main thread; course graphs are small.
const elk = new ELK();

/**
 * Layered left-to-right layout (the data flows the way the reader reads). A chain too long to
 * read when fitted into `viewport` is wrapped into rows, like lines of text, narrow enough that
 * its width reads at READABLE_ZOOM where the wrapping allows. Returns the top-left
 * position of every node, snapped to `grid`.
 */
export async function layoutLeftToRight(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  viewport: { width: number; height: number } = { width: 1200, height: 700 },
  grid = 10,
): Promise<Map<string, { x: number; y: number }>> {
  let out = await runElk(nodes, edges, undefined);
  const availW = viewport.width - 2 * FIT_PADDING;
  const availH = viewport.height - 2 * FIT_PADDING;
  const zoom = Math.min(availW / (out.width ?? 1), availH / (out.height ?? 1));
  if (zoom < READABLE_ZOOM) {
    // Rows shaped like the view first; narrower rows while the width still does not read at
    // READABLE_ZOOM (the fit then shows the whole width, and the height scrolls).
    let aspect = viewport.width / viewport.height;
    for (let attempt = 0; attempt < 5; attempt++) {
      out = await runElk(nodes, edges, aspect);
      if ((out.width ?? 0) * READABLE_ZOOM <= availW) break;
      aspect *= 0.7;
    }
  }
  const snap = (v: number): number => Math.round(v / grid) * grid;
  const positions = new Map<string, { x: number; y: number }>();
  for (const child of out.children ?? []) positions.set(child.id, { x: snap(child.x ?? 0), y: snap(child.y ?? 0) });
  return positions;
}

function runElk(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  wrapAspect: number | undefined,
): Promise<ElkNode> {
  const ids = new Set(nodes.map((n) => n.id));
  const wrap: Record<string, string> = wrapAspect
    ? { 'elk.layered.wrapping.strategy': 'SINGLE_EDGE', 'elk.aspectRatio': String(wrapAspect) }
    : {};
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '110',
      'elk.spacing.nodeNode': '40',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      ...wrap,
    },
    children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: edges
      .filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  return elk.layout(graph);
}
