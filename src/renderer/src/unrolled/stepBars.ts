import { logDomain } from '../tensors/gradNorms';

export interface StepBar {
  readonly t: number;
  /** Null while the step's gradient is not final (stepping back in time through the node). */
  readonly norm: number | null;
  /** Bar height as a fraction of the plot (log scale; 0 for a zero norm). */
  readonly height: number;
  /** The norm relative to the largest step's. */
  readonly ratio: number;
}

/**
 * Bars of ‖∂L/∂h_t‖ per time step on a log axis of whole decades ([lo, hi] as 10^lo … 10^hi),
 * so that a gradient a thousand times smaller at the first step is still a bar, three decades
 * shorter, rather than an invisible sliver.
 *
 * @example stepBars([1e-3, 1e-1, 1]).domain // [-3, 0]
 */
export function stepBars(norms: readonly (number | null)[]): { bars: StepBar[]; domain: [number, number] } {
  const known = norms.filter((n): n is number => n !== null);
  const [lo, hi] = logDomain(known);
  const top = Math.max(0, ...known.filter(Number.isFinite));
  const bars = norms.map((norm, t) => ({
    t,
    norm,
    height:
      norm !== null && norm > 0 && Number.isFinite(norm)
        ? Math.max(0, Math.min(1, (Math.log10(norm) - lo) / (hi - lo)))
        : 0,
    ratio: norm !== null && top > 0 ? norm / top : 0,
  }));
  return { bars, domain: [lo, hi] };
}
