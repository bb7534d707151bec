import { memo } from 'react';
import type { ReactElement } from 'react';
import { formatValue } from '../tensors/format';
import { stepBars } from './stepBars';

const PLOT_H = 84;
const AXIS_W = 40;
const FOOT = 30;

/**
 * ‖∂L/∂h_t‖₂ per time step as vertical bars on a log axis (and ‖∂L/∂c_t‖₂ beside them for an
 * LSTM): where the bars shrink toward the first steps, the gradient vanishes over time.
 */
export const StepGradBars = memo(function StepGradBars({
  norms,
  cellNorms,
  order,
  onPick,
}: {
  norms: readonly (number | null)[];
  cellNorms: readonly (number | null)[] | null;
  /** The time steps left to right (the reverse direction reads them from the last). */
  order: readonly number[];
  onPick?: (t: number) => void;
}): ReactElement {
  const { bars, domain } = stepBars(cellNorms ? [...norms, ...cellNorms] : norms);
  const [lo, hi] = domain;
  const slot = Math.max(14, Math.min(56, Math.floor(720 / Math.max(1, order.length))));
  const width = AXIS_W + slot * order.length + 8;
  const bar = cellNorms ? (slot - 6) / 2 : slot - 6;
  const y = (h: number): number => PLOT_H - h * PLOT_H + 6;
  const decades = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i).filter(
    (_, i, a) => a.length <= 5 || i % Math.ceil(a.length / 5) === 0 || i === a.length - 1,
  );
  const labelEvery = Math.ceil(order.length / 24);
  return (
    <svg
      className="step-grad-bars"
      width={width}
      height={PLOT_H + FOOT}
      role="img"
      aria-label="Gradient norm per time step"
      data-testid="unrolled-bars"
    >
      {decades.map((e) => (
        <g key={e}>
          <line x1={AXIS_W} x2={width - 4} y1={y((e - lo) / (hi - lo))} y2={y((e - lo) / (hi - lo))} className="grid" />
          <text x={AXIS_W - 4} y={y((e - lo) / (hi - lo)) + 3} textAnchor="end" className="axis-label">
            {`1e${e}`}
          </text>
        </g>
      ))}
      {order.map((t, k) => {
        const b = bars[t];
        const c = cellNorms ? bars[norms.length + t] : null;
        const x = AXIS_W + k * slot + 3;
        return (
          <g
            key={t}
            className={`step-bar${onPick ? ' clickable' : ''}`}
            onClick={() => onPick?.(t)}
            data-testid={`unrolled-bar-${t}`}
            data-norm={b.norm ?? 'pending'}
          >
            <title>
              {b.norm === null
                ? `t = ${t}: ∂L/∂h_${t} is not final yet (step back in time)`
                : `t = ${t}: ‖∂L/∂h_${t}‖₂ = ${formatValue(b.norm, 6)} (${formatValue(b.ratio * 100, 3)}% of the largest)${c && c.norm !== null ? `\n‖∂L/∂c_${t}‖₂ = ${formatValue(c.norm, 6)}` : ''}`}
            </title>
            <rect x={x - 3} y={0} width={slot} height={PLOT_H + FOOT} fill="transparent" />
            {b.norm === null ? (
              <rect x={x} y={6} width={slot - 6} height={PLOT_H} className="bar pending" />
            ) : (
              <rect
                x={x}
                y={y(b.height)}
                width={bar}
                height={Math.max(b.norm > 0 ? 1 : 0, b.height * PLOT_H)}
                className="bar h"
              />
            )}
            {c && c.norm !== null && (
              <rect
                x={x + bar}
                y={y(c.height)}
                width={bar}
                height={Math.max(c.norm > 0 ? 1 : 0, c.height * PLOT_H)}
                className="bar c"
              />
            )}
            {k % labelEvery === 0 && (
              <text x={x + (slot - 6) / 2} y={PLOT_H + 20} textAnchor="middle" className="step-label">
                {t}
              </text>
            )}
          </g>
        );
      })}
      <text x={AXIS_W - 4} y={PLOT_H + 20} textAnchor="end" className="axis-label">
        t
      </text>
    </svg>
  );
});
