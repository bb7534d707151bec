import type { TensorSummary } from '../../../shared/api/tensor';
import { EXPLODING_NORM, VANISHING_NORM } from './gradientHealth';
import type { GradientStatus } from './gradientHealth';

export interface ParamGrad {
  /** PyTorch-style name prefixed by the node id: `fc1.weight`, `rnn.weight_ih_l0`. */
  readonly name: string;
  readonly grad: Pick<TensorSummary, 'l2' | 'nanCount' | 'infCount'>;
}

export interface LayerGradNorm {
  /** The node id the parameters belong to. */
  readonly layer: string;
  /** ‖(g₁, g₂, …)‖₂ over every parameter of the layer. */
  readonly norm: number;
  readonly status: GradientStatus;
  readonly params: readonly { readonly name: string; readonly norm: number }[];
}

/** The node a parameter belongs to: everything before the first dot (`fc1.weight` → `fc1`). */
export function layerOf(name: string): string {
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * Gradient norms per layer, in the order layers first appear: the norm of all of a layer's
 * parameter gradients taken together, flagged like an edge's gradient.
 */
export function layerGradNorms(params: readonly ParamGrad[]): LayerGradNorm[] {
  const groups = new Map<string, { sq: number; bad: boolean; params: { name: string; norm: number }[] }>();
  for (const p of params) {
    const layer = layerOf(p.name);
    let g = groups.get(layer);
    if (!g) groups.set(layer, (g = { sq: 0, bad: false, params: [] }));
    const n = p.grad.l2 ?? 0;
    g.sq += n * n;
    g.bad ||= p.grad.nanCount + p.grad.infCount > 0;
    g.params.push({ name: p.name, norm: n });
  }
  return [...groups].map(([layer, g]) => {
    const norm = Math.sqrt(g.sq);
    const status: GradientStatus = g.bad
      ? 'nonfinite'
      : norm < VANISHING_NORM
        ? 'vanishing'
        : norm > EXPLODING_NORM
          ? 'exploding'
          : 'ok';
    return { layer, norm, status, params: g.params };
  });
}

/** A log₁₀ axis covering the norms and the two health thresholds that fall near them. */
export function logDomain(norms: readonly number[]): [number, number] {
  const finite = norms.filter((n) => n > 0 && Number.isFinite(n));
  if (finite.length === 0) return [-8, 0];
  let lo = Math.floor(Math.log10(Math.min(...finite)));
  let hi = Math.ceil(Math.log10(Math.max(...finite)));
  // A flagged bar is drawn against its threshold's line, a decade inside the axis, so that the
  // eye sees how far past the line it reaches even when every bar is past it.
  const exploding = Math.log10(EXPLODING_NORM);
  const vanishing = Math.log10(VANISHING_NORM);
  if (hi > exploding) lo = Math.min(lo, exploding - 1);
  if (lo < vanishing) hi = Math.max(hi, vanishing + 1);
  // At least two decades, so that one bar alone does not fill the axis.
  if (hi - lo < 2) hi++;
  if (hi - lo < 2) lo--;
  // + 0 turns Math.ceil's −0 (of a norm between 0.1 and 1) into 0.
  return [lo + 0, hi + 0];
}
