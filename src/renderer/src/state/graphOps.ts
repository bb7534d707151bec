import type { DocEdge, DocNode, GraphDoc } from './docModel';

/**
 * Pure edits of the document. Each returns a new document and shares every unchanged node,
 * edge and parameter object with the old one (cheap undo snapshots, cheap change detection).
 */

function withGraph(doc: GraphDoc, nodes: readonly DocNode[], edges: readonly DocEdge[]): GraphDoc {
  return { ...doc, graph: { nodes: nodes as DocNode[], edges: edges as DocEdge[] } };
}

/** A short id for a new node of `type`: `linear1`, `linear2`, … never reusing one in `taken`. */
export function freshNodeId(type: string, taken: ReadonlySet<string>): string {
  const base = type.replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'node';
  for (let i = 1; ; i++) {
    const id = `${base}${i}`;
    if (!taken.has(id)) return id;
  }
}

export function freshEdgeId(taken: ReadonlySet<string>): string {
  for (let i = taken.size + 1; ; i++) {
    const id = `e${i}`;
    if (!taken.has(id)) return id;
  }
}

export function addNode(
  doc: GraphDoc,
  type: string,
  params: Record<string, unknown>,
  position: { x: number; y: number },
): { doc: GraphDoc; id: string } {
  const id = freshNodeId(type, new Set(doc.graph.nodes.map((n) => n.id)));
  const node: DocNode = { id, type, params, position };
  return { doc: withGraph(doc, [...doc.graph.nodes, node], doc.graph.edges), id };
}

/** Moves nodes; returns the same document when nothing moved. */
export function moveNodes(doc: GraphDoc, positions: ReadonlyMap<string, { x: number; y: number }>): GraphDoc {
  let changed = false;
  const nodes = doc.graph.nodes.map((n) => {
    const p = positions.get(n.id);
    if (!p || (p.x === n.position.x && p.y === n.position.y)) return n;
    changed = true;
    return { ...n, position: { x: p.x, y: p.y } };
  });
  return changed ? withGraph(doc, nodes, doc.graph.edges) : doc;
}

export function setNodeParams(doc: GraphDoc, id: string, params: Record<string, unknown>): GraphDoc {
  return withGraph(
    doc,
    doc.graph.nodes.map((n) => (n.id === id ? { ...n, params } : n)),
    doc.graph.edges,
  );
}

export function setNodeLabel(doc: GraphDoc, id: string, label: string): GraphDoc {
  return withGraph(
    doc,
    doc.graph.nodes.map((n) => {
      if (n.id !== id) return n;
      const { label: _old, ...rest } = n;
      return label.trim() ? { ...rest, label: label.trim() } : rest;
    }),
    doc.graph.edges,
  );
}

/** Removes nodes (with their edges) and edges. */
export function removeElements(doc: GraphDoc, nodeIds: readonly string[], edgeIds: readonly string[]): GraphDoc {
  if (nodeIds.length === 0 && edgeIds.length === 0) return doc;
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  return withGraph(
    doc,
    doc.graph.nodes.filter((n) => !nodes.has(n.id)),
    doc.graph.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
  );
}

export interface Connection {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/**
 * Adds an edge. An input port takes one edge, so an edge already arriving at the same input is
 * replaced (as when re-plugging a cable).
 */
export function connect(doc: GraphDoc, c: Connection): { doc: GraphDoc; id: string } {
  const edges = doc.graph.edges.filter((e) => !(e.target === c.target && e.targetPort === c.targetPort));
  const id = freshEdgeId(new Set(doc.graph.edges.map((e) => e.id)));
  return { doc: withGraph(doc, doc.graph.nodes, [...edges, { id, ...c }]), id };
}

/** A piece of graph on the clipboard: nodes and the edges between them. */
export interface Fragment {
  readonly kind: 'backprop-studio/fragment';
  readonly version: 1;
  readonly nodes: readonly DocNode[];
  readonly edges: readonly DocEdge[];
}

export function extractFragment(doc: GraphDoc, nodeIds: readonly string[]): Fragment {
  const ids = new Set(nodeIds);
  return {
    kind: 'backprop-studio/fragment',
    version: 1,
    nodes: doc.graph.nodes.filter((n) => ids.has(n.id)),
    edges: doc.graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  };
}

/** Inserts a fragment with fresh ids, shifted by `offset`; returns the new ids for selection. */
export function pasteFragment(
  doc: GraphDoc,
  frag: Fragment,
  offset: { x: number; y: number },
): { doc: GraphDoc; nodeIds: string[]; edgeIds: string[] } {
  const taken = new Set(doc.graph.nodes.map((n) => n.id));
  const takenEdges = new Set(doc.graph.edges.map((e) => e.id));
  const rename = new Map<string, string>();
  const nodes: DocNode[] = [];
  for (const n of frag.nodes) {
    const id = freshNodeId(n.type, taken);
    taken.add(id);
    rename.set(n.id, id);
    nodes.push({ ...n, id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } });
  }
  const edges: DocEdge[] = [];
  for (const e of frag.edges) {
    const source = rename.get(e.source);
    const target = rename.get(e.target);
    if (!source || !target) continue;
    const id = freshEdgeId(takenEdges);
    takenEdges.add(id);
    edges.push({ ...e, id, source, target });
  }
  return {
    doc: withGraph(doc, [...doc.graph.nodes, ...nodes], [...doc.graph.edges, ...edges]),
    nodeIds: nodes.map((n) => n.id),
    edgeIds: edges.map((e) => e.id),
  };
}

/** Reads a fragment from clipboard text; undefined when the text is not one. Never throws. */
export function parseFragment(text: string): Fragment | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const f = raw as Partial<Fragment>;
  if (f.kind !== 'backprop-studio/fragment' || !Array.isArray(f.nodes) || !Array.isArray(f.edges)) return undefined;
  const okPos = (p: unknown): boolean =>
    !!p &&
    typeof p === 'object' &&
    Number.isFinite((p as { x: unknown }).x) &&
    Number.isFinite((p as { y: unknown }).y);
  const nodes = f.nodes.filter(
    (n): n is DocNode =>
      !!n &&
      typeof n.id === 'string' &&
      typeof n.type === 'string' &&
      !!n.params &&
      typeof n.params === 'object' &&
      !Array.isArray(n.params) &&
      okPos(n.position),
  );
  const edges = f.edges.filter(
    (e): e is DocEdge =>
      !!e &&
      ['id', 'source', 'sourcePort', 'target', 'targetPort'].every(
        (k) => typeof (e as unknown as Record<string, unknown>)[k] === 'string',
      ),
  );
  return { kind: 'backprop-studio/fragment', version: 1, nodes, edges };
}
