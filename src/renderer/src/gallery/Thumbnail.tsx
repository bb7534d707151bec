import type { ReactElement } from 'react';
import { nodeTypes } from '../../../engine/graph/registry/registerAll';
import type { NodeFamily } from '../../../engine/graph/nodeType';

export interface ThumbnailGraph {
  readonly nodes: readonly { id: string; type: string; x: number; y: number }[];
  readonly edges: readonly { source: string; target: string }[];
}

/** A node's box on the canvas (flow units), as GraphNodeView draws it: 176 wide, about 64 high. */
const W = 176;
const H = 64;
const PAD = 24;

const FAMILY_VAR: Readonly<Record<NodeFamily, string>> = {
  Data: 'var(--fam-data)',
  Layers: 'var(--fam-layer)',
  Activations: 'var(--fam-activation)',
  Losses: 'var(--fam-loss)',
  Prediction: 'var(--fam-prediction)',
};

/** The example's graph drawn small: one box per node in its family's colour, a curve per wire. */
export function Thumbnail({ graph, label }: { graph: ThumbnailGraph; label: string }): ReactElement {
  const xs = graph.nodes.map((n) => n.x);
  const ys = graph.nodes.map((n) => n.y);
  const x0 = Math.min(0, ...xs) - PAD;
  const y0 = Math.min(0, ...ys) - PAD;
  const w = Math.max(...xs, 0) + W + PAD - x0;
  const h = Math.max(...ys, 0) + H + PAD - y0;
  const at = new Map(graph.nodes.map((n) => [n.id, n]));
  return (
    <svg className="thumbnail" viewBox={`${x0} ${y0} ${w} ${h}`} role="img" aria-label={label}>
      {graph.edges.map((e, i) => {
        const s = at.get(e.source);
        const t = at.get(e.target);
        if (!s || !t) return null;
        const [sx, sy, tx, ty] = [s.x + W, s.y + H / 2, t.x, t.y + H / 2];
        const dx = Math.max(40, Math.abs(tx - sx) / 2);
        return (
          <path
            key={i}
            d={`M${sx},${sy} C${sx + dx},${sy} ${tx - dx},${ty} ${tx},${ty}`}
            className="thumbnail-edge"
            fill="none"
          />
        );
      })}
      {graph.nodes.map((n) => {
        const family = nodeTypes.get(n.type)?.family;
        return (
          <g key={n.id}>
            <rect x={n.x} y={n.y} width={W} height={H} rx={10} className="thumbnail-node" />
            <rect
              x={n.x}
              y={n.y}
              width={W}
              height={12}
              rx={6}
              fill={family ? FAMILY_VAR[family] : 'var(--fam-other)'}
            />
            <text x={n.x + W / 2} y={n.y + 46} textAnchor="middle" className="thumbnail-text">
              {n.type.length > 12 ? `${n.type.slice(0, 11)}…` : n.type}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
