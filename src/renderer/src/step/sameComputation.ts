import type { GraphDoc } from '../state/docModel';

/**
 * Whether two documents compute the same thing: the same nodes (type, parameters), the same
 * wires, the same training settings and weights. Moving or renaming a node does not count, so
 * stepping carries on while the user tidies the canvas.
 */
export function sameComputation(a: GraphDoc, b: GraphDoc): boolean {
  if (a === b) return true;
  if (a.training !== b.training && JSON.stringify(a.training) !== JSON.stringify(b.training)) return false;
  if (a.weights !== b.weights && JSON.stringify(a.weights ?? null) !== JSON.stringify(b.weights ?? null)) return false;
  const an = a.graph.nodes;
  const bn = b.graph.nodes;
  if (an.length !== bn.length) return false;
  const byId = new Map(bn.map((n) => [n.id, n]));
  for (const n of an) {
    const m = byId.get(n.id);
    if (!m || m.type !== n.type) return false;
    if (m.params !== n.params && JSON.stringify(m.params) !== JSON.stringify(n.params)) return false;
  }
  const key = (e: GraphDoc['graph']['edges'][number]): string =>
    `${e.id}\u0000${e.source}\u0000${e.sourcePort}\u0000${e.target}\u0000${e.targetPort}`;
  if (a.graph.edges.length !== b.graph.edges.length) return false;
  const edges = new Set(a.graph.edges.map(key));
  return b.graph.edges.every((e) => edges.has(key(e)));
}
