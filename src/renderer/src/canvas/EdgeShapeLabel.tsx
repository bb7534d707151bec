import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import { LABEL_PLACEMENT, wireAnchors } from '../tensors/glyphPlacement';
import { ATTACH_SHIFT, useGlyphPlacement } from '../step/glyphPlaces';
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
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState(FIRST_GUESS);
  // offsetWidth/Height are in flow pixels (the canvas's zoom is a transform above them).
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = (): void => {
      const w = el.offsetWidth;
      const h = el.offsetHeight;
      if (w > 0 && h > 0) setSize((old) => (old.w === w && old.h === h ? old : { w, h }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
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
