import { memo } from 'react';
import type { ReactElement } from 'react';
import { formatValue } from './format';
import { EXPLODING_NORM, VANISHING_NORM } from './gradientHealth';
import { logDomain } from './gradNorms';
import type { LayerGradNorm } from './gradNorms';

const ROW = 20;
const LABEL = 90;
const VALUE = 64;

/**
 * One horizontal bar per layer: the norm of its parameter gradients on a log scale, with the
 * vanishing (1e-7) and exploding (1e3) thresholds drawn where they fall on the axis.
 */
export const GradNormChart = memo(function GradNormChart({
  layers,
  width = 320,
  onSelect,
}: {
  layers: readonly LayerGradNorm[];
  width?: number;
  onSelect?: (layer: string) => void;
}): ReactElement {
  const [lo, hi] = logDomain([...layers.map((l) => l.norm)]);
  const plotW = width - LABEL - VALUE;
  const x = (n: number): number => (n > 0 ? ((Math.max(lo, Math.min(hi, Math.log10(n))) - lo) / (hi - lo)) * plotW : 0);
  const height = layers.length * ROW + 18;
  const ticks = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i).filter(
    (_, i, a) => a.length <= 6 || i % Math.ceil(a.length / 6) === 0,
  );
  return (
    <svg
      className="grad-norm-chart"
      width={width}
      height={height}
      role="img"
      aria-label="Gradient norm per layer"
      data-testid="grad-norm-chart"
    >
      {[VANISHING_NORM, EXPLODING_NORM].map((t) => {
        const e = Math.log10(t);
        if (e < lo || e > hi) return null;
        return (
          <line
            key={t}
            x1={LABEL + x(t)}
            x2={LABEL + x(t)}
            y1={0}
            y2={height - 16}
            className="threshold"
            data-testid={`grad-threshold-${t === EXPLODING_NORM ? 'exploding' : 'vanishing'}`}
          />
        );
      })}
      {layers.map((l, i) => (
        <g
          key={l.layer}
          transform={`translate(0, ${i * ROW})`}
          className={`bar-row status-${l.status}${onSelect ? ' clickable' : ''}`}
          onClick={() => onSelect?.(l.layer)}
          data-testid={`grad-bar-${l.layer}`}
        >
          {/* The whole row is the click target, not just the bar and the text. */}
          <rect x={0} y={0} width={width} height={ROW} fill="transparent" />
          <title>{`${l.layer}: ‖∇‖₂ = ${formatValue(l.norm, 6)}\n${l.params.map((p) => `${p.name}: ${formatValue(p.norm, 4)}`).join('\n')}`}</title>
          <text x={LABEL - 6} y={ROW / 2 + 4} textAnchor="end" className="bar-label">
            {l.layer}
          </text>
          <rect
            x={LABEL}
            y={4}
            width={Math.max(1, x(l.norm))}
            height={ROW - 8}
            rx={2}
            className="bar"
            data-testid={`grad-bar-rect-${l.layer}`}
          />
          <text x={LABEL + plotW + 6} y={ROW / 2 + 4} className="bar-value">
            {l.status === 'nonfinite' ? 'NaN/Inf' : formatValue(l.norm)}
          </text>
        </g>
      ))}
      {ticks.map((e) => (
        <text
          key={e}
          x={LABEL + ((e - lo) / (hi - lo)) * plotW}
          y={height - 3}
          textAnchor="middle"
          className="axis-label"
        >
          {`1e${e}`}
        </text>
      ))}
    </svg>
  );
});
