import { memo } from 'react';
import type { ReactElement } from 'react';
import { NONFINITE_RGB, paletteGradient } from './colorMap';
import type { ColorScale } from './colorMap';
import { formatValue } from './format';

/** The colour scale a glyph or heat map is drawn with: the palette as a bar, its ends and its centre labelled. */
export const ColorLegend = memo(function ColorLegend({
  scale,
  showNonfinite = false,
  width = 180,
}: {
  scale: ColorScale;
  showNonfinite?: boolean;
  width?: number;
}): ReactElement {
  const diverging = scale.palette === 'diverging';
  return (
    <div className="color-legend" data-testid="color-legend">
      <div className="color-legend-bar" style={{ width, background: paletteGradient(scale.palette) }} />
      <div className="color-legend-labels" style={{ width }}>
        <span>{formatValue(scale.lo)}</span>
        <span>{diverging ? '0' : formatValue((scale.lo + scale.hi) / 2)}</span>
        <span>{formatValue(scale.hi)}</span>
      </div>
      {showNonfinite && (
        <div className="color-legend-nonfinite">
          <span className="swatch" style={{ background: `rgb(${NONFINITE_RGB.join(',')})` }} /> NaN / Inf
        </div>
      )}
    </div>
  );
});
