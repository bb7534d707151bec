import { nodeTypes as registry } from '../../../engine/graph/registry/registerAll';
import { analyze } from '../state/analysis';
import type { GraphDoc } from '../state/docModel';
import type { GlyphHint } from '../tensors/glyphLayout';

/** Pure re-arrangements: the values on their output are still the data's own values. */
const RESHAPES = new Set(['Reshape', 'Flatten']);

/**
 * Whether an edge leaving `nodeId` carries the examples themselves (an Input node, possibly
 * reshaped), so that 4-D values are drawn as the pictures they are.
 */
export function comesFromData(doc: GraphDoc, nodeId: string): boolean {
  let id: string | undefined = nodeId;
  for (let hops = 0; id !== undefined && hops < 8; hops++) {
    const current: string = id;
    const node = doc.graph.nodes.find((n) => n.id === current);
    if (!node) return false;
    if (node.type === 'Input') return true;
    if (!RESHAPES.has(node.type)) return false;
    id = doc.graph.edges.find((e) => e.target === current)?.source;
  }
  return false;
}

const hints = new Map<string, GlyphHint>();

/** One hint object per combination, so a glyph's memoised layout survives re-renders. */
function hintFor(portKind: string | undefined, images: boolean, attention: boolean): GlyphHint {
  const key = `${portKind ?? ''}|${images}|${attention}`;
  let h = hints.get(key);
  if (!h) hints.set(key, (h = { portKind, images, attention }));
  return h;
}

/**
 * How to draw the tensor on an edge, from the graph: its port kind (sequences), whether it is the
 * data itself (images), and whether it leaves an attention node's weights port (the matrix).
 *
 * @example edgeHint(doc, 'e1') // { portKind: 'tensor', images: true, attention: false }
 */
export function edgeHint(doc: GraphDoc, edgeId: string): GlyphHint {
  const edge = doc.graph.edges.find((e) => e.id === edgeId);
  if (!edge) return hintFor(undefined, false, false);
  const src = doc.graph.nodes.find((n) => n.id === edge.source);
  const def = src ? registry.get(src.type) : undefined;
  const attention = def?.outputs.find((p) => p.name === edge.sourcePort)?.role === 'weights';
  const portKind = analyze(doc).result.edgeTypes[edgeId]?.kind;
  return hintFor(portKind, comesFromData(doc, edge.source), attention);
}
