import type { CSSProperties } from 'react';
import type { TensorSummary } from '../../../shared/api/tensor';
import { useApp } from '../state/useApp';
import { gradientHealth, gradientStrokeWidth } from '../tensors/gradientHealth';
import type { GradientHealth } from '../tensors/gradientHealth';

export interface EdgeRunView {
  /** The tensor to draw on the edge in the current view, if the host reported one. */
  readonly summary: TensorSummary | undefined;
  readonly which: 'activation' | 'gradient';
  /** Gradient view only: the gradient's health, which also sets the edge's width and colour. */
  readonly health: GradientHealth | null;
  readonly edgeClass: string;
  readonly edgeStyle: CSSProperties | undefined;
}

/** Presenter mode's wires are this much thicker (1.6 → 3 px in presenter.css). */
const PRESENTER_WIRE_SCALE = 1.8;

const cache = new WeakMap<TensorSummary, GradientHealth>();

function healthOf(g: TensorSummary): GradientHealth {
  let h = cache.get(g);
  if (!h) cache.set(g, (h = gradientHealth(g)));
  return h;
}

/**
 * What a step session shows on one edge. The component re-renders only when this edge's
 * tensors or the activations/gradients toggle change, so a step repaints only its own edges.
 *
 * @example const run = useEdgeRun(id); run.summary && <TensorGlyph summary={run.summary} />
 */
export function useEdgeRun(edgeId: string): EdgeRunView {
  const { tensors, view, presenter } = useApp((s) => ({
    tensors: s.run.edges[edgeId],
    view: s.run.view,
    presenter: s.ui.presenter,
  }));
  if (view === 'activations')
    return { summary: tensors?.activation, which: 'activation', health: null, edgeClass: '', edgeStyle: undefined };
  const g = tensors?.gradient;
  if (!g)
    return {
      summary: undefined,
      which: 'gradient',
      health: null,
      edgeClass: tensors ? ' grad-pending' : '',
      edgeStyle: undefined,
    };
  const health = healthOf(g);
  return {
    summary: g,
    which: 'gradient',
    health,
    edgeClass: ` grad-${health.status}`,
    // Presenter mode draws every wire thicker (presenter.css); gradient widths keep their ratios.
    edgeStyle: { strokeWidth: gradientStrokeWidth(health.norm) * (presenter ? PRESENTER_WIRE_SCALE : 1) },
  };
}
