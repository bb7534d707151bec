import { memo, useMemo } from 'react';
import type { ReactElement } from 'react';
import { LABEL_PLACEMENT, wireAnchors } from '../tensors/glyphPlacement';
import { ATTACH_SHIFT, useGlyphPlacement } from '../step/glyphPlaces';
import { useMeasuredSize } from '../step/useMeasuredSize';
import { useNodeRects } from '../step/useNodeRects';

/** A label's size before it has been measured: a short shape. */
const FIRST_GUESS = { w: 48, h: 17 };

/**
 * An edge's shape label ("N×64"): on the wire where it covers no node and no other label or
 * glyph; where the gap between two nodes is too short for it, just beside the wire on a short
 * stem, so that it is never cut by a node.
 */
export const EdgeShapeLabel = memo(function EdgeShapeLabel({
  edgeId,
  text,
  title,
  className,
  sourceX,
  sourceY,
  targetX,
  targetY,
}: {
  edgeId: string;
  text: string;
  title: string;
  className: string;
  sourceX: number;
  sourceY: number;
  targetX: number;
  targetY: number;
}): ReactElement {
  const nodes = useNodeRects();
  const [box, size] = useMeasuredSize<HTMLDivElement>(FIRST_GUESS);
  const request = useMemo(
    () => ({
      id: edgeId,
      anchors: wireAnchors({ x: sourceX, y: sourceY }, { x: targetX, y: targetY }),
      w: size.w,
      h: size.h,
      options: LABEL_PLACEMENT,
    }),
    [edgeId, sourceX, sourceY, targetX, targetY, size],
  );
  const { anchor, attach, side } = useGlyphPlacement(request, nodes);
  const stemLength = Math.hypot(attach.x - anchor.x, attach.y - anchor.y);
  const stemAngle = Math.atan2(attach.y - anchor.y, attach.x - anchor.x);
  return (
    <>
      {side !== 'on' && (
        <div
          className="edge-stem"
          style={{
            width: stemLength,
            transform: `translate(${anchor.x}px, ${anchor.y}px) rotate(${stemAngle}rad)`,
          }}
          aria-hidden
        />
      )}
      <div
        ref={box}
        className={className}
        style={{ transform: `translate(${attach.x}px, ${attach.y}px) ${ATTACH_SHIFT[side]}` }}
        title={title}
        data-testid={`edge-label-${edgeId}`}
        data-side={side}
      >
        {text}
      </div>
    </>
  );
});
