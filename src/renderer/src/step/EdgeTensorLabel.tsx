import { memo, useCallback, useMemo } from 'react';
import type { CSSProperties, ReactElement } from 'react';
import { setSelection } from '../state/store';
import { useApp } from '../state/useApp';
import type { TensorSummary } from '../../../shared/api/tensor';
import { TensorGlyph } from '../tensors/TensorGlyph';
import { formatValue } from '../tensors/format';
import { PRESENTER_GLYPH_SCALE, wireAnchors } from '../tensors/glyphPlacement';
import { edgeHint } from './edgeHint';
import { ATTACH_SHIFT, useGlyphPlacement } from './glyphPlaces';
import { inspect } from './stepController';
import { useMeasuredSize } from './useMeasuredSize';
import { useNodeRects } from './useNodeRects';
import type { EdgeRunView } from './useEdgeRun';
import './step.css';

const HEALTH_LABEL = { vanishing: 'vanishing', exploding: 'exploding', nonfinite: 'NaN/Inf', ok: '' } as const;

/** The glyph's size before it has been measured once: a typical strip with its foot. */
const FIRST_GUESS = { w: 124, h: 78 };

/**
 * An edge's label while stepping: the tensor the host computed for it, drawn as a glyph chosen
 * by its shape; a flag when its gradient vanishes, explodes or is not finite. Click to inspect.
 * The glyph sits on a stem beside the wire wherever it covers no node and no other edge's glyph
 * (placed together with them, glyphPlaces), shrunk when the gap is small; hovering it raises it above the nodes at its full size.
 */
export const EdgeTensorLabel = memo(function EdgeTensorLabel({
  edgeId,
  run,
  sourceX,
  sourceY,
  targetX,
  targetY,
}: {
  edgeId: string;
  run: EdgeRunView;
  /** The wire's ends (its source and target handles), in flow coordinates. */
  sourceX: number;
  sourceY: number;
  targetX: number;
  targetY: number;
}): ReactElement | null {
  const hint = useApp((s) => edgeHint(s.doc, edgeId));
  // A Dropout node's mask of this pass, drawn under the activation it multiplied.
  const mask = useApp((s) => (run.which === 'activation' ? s.run.edges[edgeId]?.mask : undefined));
  // Glyphs of the network before an edit, until the live preview replaces them (or says why it cannot).
  const stale = useApp((s) =>
    s.run.preview.state === 'idle' ? null : (s.run.preview.reason ?? 'Updating the preview…'),
  );
  // Presenter mode draws glyphs larger; their places are found for the size they are drawn at.
  const full = useApp((s) => (s.ui.presenter ? PRESENTER_GLYPH_SCALE : 1));
  const onClick = useCallback(() => {
    setSelection({ nodes: [], edges: [edgeId] });
    inspect({ type: 'edge', edgeId });
  }, [edgeId]);
  const nodes = useNodeRects();
  const [box, size] = useMeasuredSize<HTMLDivElement>(FIRST_GUESS);
  const request = useMemo(
    () => ({
      id: edgeId,
      anchors: wireAnchors({ x: sourceX, y: sourceY }, { x: targetX, y: targetY }),
      w: size.w * full,
      h: size.h * full,
    }),
    [edgeId, sourceX, sourceY, targetX, targetY, size, full],
  );
  const place = useGlyphPlacement(request, nodes);
  if (!run.summary) return null;
  const flag = run.health && run.health.status !== 'ok' ? run.health : null;
  const { anchor, attach, side, scale } = place;
  const stemLength = Math.hypot(attach.x - anchor.x, attach.y - anchor.y);
  const stemAngle = Math.atan2(attach.y - anchor.y, attach.x - anchor.x);
  return (
    <>
      <div
        className="edge-stem"
        style={{
          width: stemLength,
          transform: `translate(${anchor.x}px, ${anchor.y}px) rotate(${stemAngle}rad)`,
        }}
        aria-hidden
      />
      <div
        ref={box}
        className={`edge-tensor nodrag nopan side-${side}${flag ? ` flagged ${flag.status}` : ''}${stale !== null ? ' stale' : ''}`}
        title={stale !== null ? `Out of date: ${stale}` : undefined}
        style={
          {
            '--fit': scale * full,
            '--full': full,
            transform: `translate(${attach.x}px, ${attach.y}px) scale(var(--glyph-scale)) ${ATTACH_SHIFT[side]}`,
          } as CSSProperties
        }
        data-testid={`edge-tensor-${edgeId}`}
        data-which={run.which}
        data-stale={stale !== null ? 'true' : 'false'}
        data-side={side}
        data-scale={scale * full}
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
        {mask && <MaskGlyph edgeId={edgeId} mask={mask} />}
        {flag && (
          <div className="edge-flag" title={flag.reason} data-testid={`edge-flag-${edgeId}`}>
            ⚠ {HEALTH_LABEL[flag.status]}
          </div>
        )}
      </div>
    </>
  );
});

/**
 * The dropout mask on an edge: which units were kept in this pass (coloured, at the scale
 * 1/(1 − p) they were multiplied by) and which were dropped (0).
 */
function MaskGlyph({ edgeId, mask }: { edgeId: string; mask: TensorSummary }): ReactElement {
  const total = mask.shape.reduce((a, b) => a * b, 1);
  const scale = mask.max ?? 0;
  // The mask holds only 0 and the scale, so its mean says how many were kept.
  const kept = scale > 0 ? Math.round(((mask.mean ?? 0) * total) / scale) : 0;
  return (
    <div
      className="edge-mask"
      data-testid={`edge-mask-${edgeId}`}
      data-kept={kept}
      data-total={total}
      // Which units were kept, as 0s and 1s (the first 256 of the preview): tests compare passes by it.
      data-pattern={mask.preview.values
        .slice(0, 256)
        .map((v) => (v ? '1' : '0'))
        .join('')}
      title={`Dropout mask of this pass: ${kept} of ${total} units kept and multiplied by ${formatValue(scale, 4)}, the others set to 0. A new mask is drawn at every forward pass; evaluation mode draws none.`}
    >
      <TensorGlyph summary={mask} what="dropout mask" maxWidth={120} maxHeight={28} />
      <div className="edge-mask-caption">
        mask {kept}/{total} kept ×{formatValue(scale, 3)}
      </div>
    </div>
  );
}
