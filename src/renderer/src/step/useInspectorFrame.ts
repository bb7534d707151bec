import { useCallback, useEffect, useState } from 'react';
import type { CSSProperties, PointerEvent as ReactPointerEvent, RefObject } from 'react';
import { clampFrame, moveFrame, resizeFrame } from './inspectorFrame';
import type { Frame } from './inspectorFrame';

function relativeTo(r: DOMRect, parent: DOMRect): Frame {
  return { x: r.left - parent.left, y: r.top - parent.top, w: r.width, h: r.height };
}

/**
 * Moving (by the title bar) and resizing (by the bottom-right corner) a floating panel, kept
 * inside the canvas area. Until the user first moves it, the panel keeps its CSS placement;
 * after that its frame is explicit and is pulled back inside when the window shrinks.
 */
export function useInspectorFrame(panel: RefObject<HTMLElement | null>): {
  style: CSSProperties | undefined;
  startMove: (e: ReactPointerEvent) => void;
  startResize: (e: ReactPointerEvent) => void;
} {
  const [frame, setFrame] = useState<Frame | null>(null);

  /** The panel's frame and the canvas's, both relative to the panel's positioned parent. */
  const measure = useCallback((): { now: Frame; bounds: Frame } | null => {
    const el = panel.current;
    const parent = el?.offsetParent;
    const canvas = parent?.querySelector('[data-testid="canvas"]');
    if (!el || !parent || !canvas) return null;
    const p = parent.getBoundingClientRect();
    return { now: relativeTo(el.getBoundingClientRect(), p), bounds: relativeTo(canvas.getBoundingClientRect(), p) };
  }, [panel]);

  const start = useCallback(
    (e: ReactPointerEvent, how: typeof moveFrame) => {
      if (e.button !== 0) return;
      const m = measure();
      if (!m) return;
      e.preventDefault();
      const [x0, y0] = [e.clientX, e.clientY];
      const onMove = (ev: PointerEvent): void => setFrame(how(m.now, ev.clientX - x0, ev.clientY - y0, m.bounds));
      const onUp = (): void => {
        window.removeEventListener('pointermove', onMove);
        window.removeEventListener('pointerup', onUp);
        window.removeEventListener('pointercancel', onUp);
      };
      window.addEventListener('pointermove', onMove);
      window.addEventListener('pointerup', onUp);
      window.addEventListener('pointercancel', onUp);
    },
    [measure],
  );
  const startMove = useCallback(
    (e: ReactPointerEvent) => {
      // The title bar's buttons (close) stay buttons.
      if ((e.target as Element).closest('button')) return;
      start(e, moveFrame);
    },
    [start],
  );
  const startResize = useCallback((e: ReactPointerEvent) => start(e, resizeFrame), [start]);

  useEffect(() => {
    const onResize = (): void => {
      const m = measure();
      if (m) setFrame((f) => (f ? clampFrame(f, m.bounds) : f));
    };
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [measure]);

  const style: CSSProperties | undefined = frame
    ? { left: frame.x, top: frame.y, width: frame.w, height: frame.h, right: 'auto', bottom: 'auto' }
    : undefined;
  return { style, startMove, startResize };
}
