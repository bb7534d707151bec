import { PROJECT_VERSION } from './schema';

/**
 * Migrations between project-file versions, each taking a sanitized document of version v to
 * version v + 1. They work on plain JSON, before the schema is applied, and never throw on
 * malformed input: what they cannot convert they leave for the loader to report.
 *
 * Version history:
 * - 1: the first prototype's format: nodes carried `x`/`y` instead of `position`, and edges
 *   named their ends as `"node:port"` strings in `from`/`to`.
 * - 2: the current format (docs/file-format.md).
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function splitEnd(end: unknown): [string, string] | undefined {
  if (typeof end !== 'string') return undefined;
  const i = end.lastIndexOf(':');
  return i > 0 && i < end.length - 1 ? [end.slice(0, i), end.slice(i + 1)] : undefined;
}

export const MIGRATIONS: Readonly<Record<number, (doc: Json) => Json>> = {
  1: (doc) => {
    const graph = isObject(doc.graph) ? doc.graph : {};
    const nodes = Array.isArray(graph.nodes)
      ? graph.nodes.map((n) => {
          if (!isObject(n)) return n;
          const { x, y, ...rest } = n;
          return { ...rest, position: { x: typeof x === 'number' ? x : 0, y: typeof y === 'number' ? y : 0 } };
        })
      : graph.nodes;
    const edges = Array.isArray(graph.edges)
      ? graph.edges.map((e) => {
          if (!isObject(e)) return e;
          const { from, to, ...rest } = e;
          const s = splitEnd(from);
          const t = splitEnd(to);
          if (!s || !t) return e;
          return { ...rest, source: s[0], sourcePort: s[1], target: t[0], targetPort: t[1] };
        })
      : graph.edges;
    return { ...doc, version: 2, graph: { ...graph, nodes, edges } };
  },
};

/** Applies the migrations from `version` up to the current version. */
export function migrate(doc: Json, version: number): Json {
  let d = doc;
  for (let v = version; v < PROJECT_VERSION; v++) {
    const step = MIGRATIONS[v];
    d = step(d);
  }
  return d;
}
