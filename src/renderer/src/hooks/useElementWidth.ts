import { useLayoutEffect, useState } from 'react';
import type { RefObject } from 'react';

/**
 * An element's width in CSS pixels, followed as it resizes (0 until it is laid out), for a layout
 * that depends on the room a panel has rather than on the window's size.
 *
 * @example
 * const ref = useRef<HTMLDivElement>(null);
 * const narrow = useElementWidth(ref) < 900;
 */
export function useElementWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}
