import { memo, useMemo } from 'react';
import type { ReactElement } from 'react';
import katex from 'katex';
import 'katex/dist/katex.min.css';

/** Renders LaTeX with KaTeX (fonts bundled from the package). Bad LaTeX shows as red source, never throws. */
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
  // KaTeX escapes its input and `trust: false` forbids \href and friends, so this HTML is inert.
  return <div className="formula" data-testid="formula" dangerouslySetInnerHTML={{ __html: html }} />;
});
