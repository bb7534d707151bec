import { useEffect } from 'react';
import type { PointerEvent, ReactElement } from 'react';

interface Props {
  /** The CSS variable on <html> holding the panel's size in pixels, e.g. `--bottom-h`. */
  cssVar: string;
  axis: 'x' | 'y';
  /** True when dragging towards larger coordinates makes the panel smaller (right and bottom panels). */
  invert?: boolean;
  min: number;
  max: number;
  label: string;
  testId: string;
}

const key = (cssVar: string): string => `backprop.size${cssVar}`;

function apply(cssVar: string, px: number): void {
  document.documentElement.style.setProperty(cssVar, `${Math.round(px)}px`);
}

/** A drag handle that resizes a panel by setting a CSS variable; the size is remembered. */
export function Splitter({ cssVar, axis, invert, min, max, label, testId }: Props): ReactElement {
  useEffect(() => {
    const saved = Number(localStorage.getItem(key(cssVar)));
    if (Number.isFinite(saved) && saved >= min && saved <= max) apply(cssVar, saved);
  }, [cssVar, min, max]);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>): void => {
    e.preventDefault();
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const start = axis === 'x' ? e.clientX : e.clientY;
    const current = parseFloat(getComputedStyle(document.documentElement).getPropertyValue(cssVar));
    const size0 = Number.isFinite(current)
      ? current
      : (el.parentElement?.getBoundingClientRect()[axis === 'x' ? 'width' : 'height'] ?? min);
    let size = size0;
    const move = (ev: globalThis.PointerEvent): void => {
      const delta = (axis === 'x' ? ev.clientX : ev.clientY) - start;
      size = Math.min(max, Math.max(min, size0 + (invert ? -delta : delta)));
      apply(cssVar, size);
    };
    const up = (): void => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      try {
        localStorage.setItem(key(cssVar), String(Math.round(size)));
      } catch {
        // The size just will not be remembered.
      }
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };

  return (
    <div
      className={`splitter splitter-${axis}${invert ? ' invert' : ''}`}
      role="separator"
      aria-orientation={axis === 'x' ? 'vertical' : 'horizontal'}
      aria-label={label}
      data-testid={testId}
      onPointerDown={onPointerDown}
    />
  );
}
