import type { TensorSummary } from '../../../shared/api/tensor';
import { formatValue } from './format';

/** Below this L2 norm a gradient has vanished: the layers upstream barely learn. */
export const VANISHING_NORM = 1e-7;
/** Above this L2 norm a gradient has exploded: one update step would wreck the weights. */
export const EXPLODING_NORM = 1e3;

export type GradientStatus = 'ok' | 'vanishing' | 'exploding' | 'nonfinite';

export interface GradientHealth {
  readonly status: GradientStatus;
  /** L2 norm of the finite values. */
  readonly norm: number;
  /** One sentence for the hover text. */
  readonly reason: string;
}

/**
 * Classifies a gradient by its L2 norm and non-finite values.
 *
 * @example gradientHealth(summary).status === 'vanishing' // when ‖g‖₂ < 1e-7
 */
export function gradientHealth(g: Pick<TensorSummary, 'l2' | 'nanCount' | 'infCount'>): GradientHealth {
  const norm = g.l2 ?? 0;
  if (g.nanCount > 0 || g.infCount > 0) {
    const parts = [g.nanCount > 0 ? `${g.nanCount} NaN` : '', g.infCount > 0 ? `${g.infCount} infinite` : ''].filter(
      Boolean,
    );
    return {
      status: 'nonfinite',
      norm,
      reason: `The gradient holds ${parts.join(' and ')} value${g.nanCount + g.infCount === 1 ? '' : 's'}: an update would turn the weights upstream into NaN.`,
    };
  }
  if (norm < VANISHING_NORM) {
    return {
      status: 'vanishing',
      norm,
      reason: `The gradient vanishes: ‖g‖₂ = ${formatValue(norm)} < 1e-7, so the layers upstream hardly learn (saturated activations or dead ReLUs?).`,
    };
  }
  if (norm > EXPLODING_NORM) {
    return {
      status: 'exploding',
      norm,
      reason: `The gradient explodes: ‖g‖₂ = ${formatValue(norm)} > 1e3, so one update step would overshoot (learning rate or initialisation too large?).`,
    };
  }
  return { status: 'ok', norm, reason: `Gradient norm ‖g‖₂ = ${formatValue(norm)}.` };
}

/**
 * Stroke width of an edge for its gradient norm: 1 px at or below 1e-7 up to 7 px at or above
 * 1e3, logarithmic in between, so that each factor of ten adds the same width.
 */
export function gradientStrokeWidth(norm: number): number {
  if (!(norm > 0)) return 1;
  const t = (Math.log10(norm) - Math.log10(VANISHING_NORM)) / (Math.log10(EXPLODING_NORM) - Math.log10(VANISHING_NORM));
  return 1 + 6 * Math.max(0, Math.min(1, t));
}
