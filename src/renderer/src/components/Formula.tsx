import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import type { ReactElement } from 'react';
import katex from 'katex';
import 'katex/dist/katex.min.css';

/** The smallest a formula is drawn to fit its panel (of its normal size); narrower panels scroll. */
export const FORMULA_MIN_FIT = 0.6;

/**
 * Renders LaTeX with KaTeX (fonts bundled from the package). Bad LaTeX shows as red source, never throws.
 * A formula wider than its panel (an LSTM's four lines in the inspector) is drawn smaller until
 * it fits, down to FORMULA_MIN_FIT of its size, so that it is read whole instead of cut.
 */
export const Formula = memo(function Formula({
  latex,
  display = true,
}: {
  latex: string;
  display?: boolean;
}): ReactElement {
  const html = useMemo(
    () =>
      katex.renderToString(latex, {
        displayMode: display,
        throwOnError: false,
        strict: 'ignore',
        trust: false,
        output: 'html',
      }),
    [latex, display],
  );
  const outer = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const box = outer.current;
    const body = inner.current;
    if (!box || !body) return;
    const fit = (): void => {
      // KaTeX sizes everything in em: the width scales with the font size. Measure at full size,
      // then shrink by the ratio (twice: an inline formula may wrap differently when smaller).
      body.style.fontSize = '';
      for (let pass = 0; pass < 2; pass++) {
        const room = box.clientWidth;
        const need = body.scrollWidth;
        if (room <= 0 || need <= room) break;
        const current = parseFloat(body.style.fontSize || '1');
        body.style.fontSize = `${Math.max(FORMULA_MIN_FIT, (current * room) / need)}em`;
      }
      box.dataset.fit = body.style.fontSize ? String(parseFloat(body.style.fontSize)) : '1';
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(box);
    return () => observer.disconnect();
  }, [html]);
  // KaTeX escapes its input and `trust: false` forbids \href and friends, so this HTML is inert.
  return (
    <div className="formula" data-testid="formula" ref={outer}>
      <div className="formula-body" ref={inner} dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  );
});
