import { useLayoutEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';

/** A box's natural size in flow pixels. */
export interface Size {
  w: number;
  h: number;
}

/**
 * The size of the element `ref` is attached to, watched as it changes (a glyph grows with its
 * tensor, a label with its text), `firstGuess` until it is laid out. offsetWidth/Height are in
 * flow pixels: the canvas's zoom and a CSS scale above the element do not change them.
 */
export function useMeasuredSize<T extends HTMLElement>(firstGuess: Size): [RefObject<T | null>, Size] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState(firstGuess);
  useLayoutEffect(() => {
    const el = ref.current;
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
  return [ref, size];
}
