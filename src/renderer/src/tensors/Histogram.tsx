import { memo } from 'react';
import type { ReactElement } from 'react';
import type { TensorSummary } from '../../../shared/api/tensor';
import { cssColor } from './colorMap';
import type { ColorScale } from './colorMap';
import { formatCount, formatValue } from './format';

/** The summary's 32-bin histogram as bars coloured like the values they count; hover a bar for its range and count. */
export const Histogram = memo(function Histogram({
  histogram,
  scale,
  width = 300,
  height = 90,
}: {
  histogram: TensorSummary['histogram'];
  scale: ColorScale;
  width?: number;
  height?: number;
}): ReactElement {
  const { min, max, counts } = histogram;
  const peak = Math.max(1, ...counts);
  const bins = counts.length;
  const binWidth = bins > 0 ? (max - min) / bins : 0;
  const bw = bins > 0 ? width / bins : width;
  return (
    <div className="histogram" data-testid="histogram">
      <svg width={width} height={height} role="img" aria-label="Histogram of the values">
        {counts.map((c, i) => {
          const lo = min + i * binWidth;
          const hi = lo + binWidth;
          const h = c === 0 ? 0 : Math.max(1, (c / peak) * (height - 2));
          return (
            <rect
              key={i}
              x={i * bw + 0.5}
              y={height - h}
              width={Math.max(1, bw - 1)}
              height={h}
              fill={cssColor((lo + hi) / 2, scale)}
              stroke="var(--border-strong)"
              strokeWidth={0.5}
            >
              <title>{`${formatValue(lo)} … ${formatValue(hi)}: ${formatCount(c)} value${c === 1 ? '' : 's'}`}</title>
            </rect>
          );
        })}
        <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} stroke="var(--border-strong)" />
      </svg>
      <div className="histogram-axis" style={{ width }}>
        <span>{formatValue(min)}</span>
        <span>{formatValue(max)}</span>
      </div>
    </div>
  );
});
