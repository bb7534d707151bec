import { memo, useCallback } from 'react';
import type { ReactElement } from 'react';
import { setSelection } from '../state/store';
import { useApp } from '../state/useApp';
import { TensorGlyph } from '../tensors/TensorGlyph';
import { edgeHint } from './edgeHint';
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
}: {
  edgeId: string;
  run: EdgeRunView;
  x: number;
  y: number;
}): ReactElement | null {
  const hint = useApp((s) => edgeHint(s.doc, edgeId));
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
