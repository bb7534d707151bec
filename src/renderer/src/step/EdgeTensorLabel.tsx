import { memo, useCallback } from 'react';
import type { ReactElement } from 'react';
import { nodeTypes as registry } from '../../../engine/graph/registry/registerAll';
import type { GraphDoc } from '../state/docModel';
import { setSelection } from '../state/store';
import { useApp } from '../state/useApp';
import type { GlyphHint } from '../tensors/glyphLayout';
import { TensorGlyph } from '../tensors/TensorGlyph';
import { inspect } from './stepController';
import type { EdgeRunView } from './useEdgeRun';
import './step.css';

/** Length of the stem between the glyph and its wire, in flow pixels: enough to clear a node's header row. */
const STEM = 44;

const HEALTH_LABEL = { vanishing: 'vanishing', exploding: 'exploding', nonfinite: 'NaN/Inf', ok: '' } as const;

/**
 * An edge's label while stepping: the tensor the host computed for it, drawn as a glyph chosen
 * by its shape; a flag when its gradient vanishes, explodes or is not finite. Click to inspect.
 */
export const EdgeTensorLabel = memo(function EdgeTensorLabel({
  edgeId,
  run,
  x,
  y,
  source,
  sourcePort,
  kind,
}: {
  edgeId: string;
  run: EdgeRunView;
  x: number;
  y: number;
  source: string;
  sourcePort: string | null | undefined;
  kind: string | undefined;
}): ReactElement | null {
  const { srcType, images } = useApp((s) => ({
    srcType: s.doc.graph.nodes.find((n) => n.id === source)?.type,
    images: comesFromData(s.doc, source),
  }));
  const def = srcType ? registry.get(srcType) : undefined;
  const attention = def?.outputs.find((p) => p.name === sourcePort)?.role === 'weights';
  const hint: GlyphHint = hintFor(kind, images, attention);
  const onClick = useCallback(() => {
    setSelection({ nodes: [], edges: [edgeId] });
    inspect({ type: 'edge', edgeId });
  }, [edgeId]);
  if (!run.summary) return null;
  const flag = run.health && run.health.status !== 'ok' ? run.health : null;
  return (
    <div
      className={`edge-tensor nodrag nopan${flag ? ` flagged ${flag.status}` : ''}`}
      // Above the wire with a stem down to it, so that short wires between nodes keep their ports visible.
      style={{ transform: `translate(${x}px, ${y}px) translate(-50%, calc(-100% - ${STEM}px))` }}
      data-testid={`edge-tensor-${edgeId}`}
      data-which={run.which}
    >
      <TensorGlyph
        maxWidth={120}
        maxHeight={60}
        summary={run.summary}
        hint={hint}
        what={run.which}
        onClick={onClick}
        testId={`edge-glyph-${edgeId}`}
      />
      {flag && (
        <div className="edge-flag" title={flag.reason} data-testid={`edge-flag-${edgeId}`}>
          ⚠ {HEALTH_LABEL[flag.status]}
        </div>
      )}
    </div>
  );
});

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

/** One hint object per combination, so the glyph's memoised layout survives re-renders. */
function hintFor(portKind: string | undefined, images: boolean, attention: boolean): GlyphHint {
  const key = `${portKind ?? ''}|${images}|${attention}`;
  let h = hints.get(key);
  if (!h) hints.set(key, (h = { portKind, images, attention }));
  return h;
}
