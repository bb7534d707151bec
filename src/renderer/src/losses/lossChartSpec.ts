import type { LossView } from '../../../shared/api/session';
import { classColor } from '../training/classColors';

/** How a curve of the loss view is drawn: the graph's own loss bold, the others thin. */
export interface CurveStyle {
  readonly color: string;
  readonly width: number;
  readonly dash?: number[];
}

const COMPARE: Record<string, string> = {
  'zero-one': '#888888',
  perceptron: '#cc79a7',
  hinge: '#0072b2',
  logistic: '#009e73',
  'cross-entropy': '#009e73',
  squared: '#e69f00',
  absolute: '#56b4e9',
};
const CHOSEN = '#d55e00';

export function curveStyle(c: LossView['curves'][number], index: number): CurveStyle {
  if (c.chosen) return { color: CHOSEN, width: 3, ...(index > 0 ? { dash: [7, 4] } : {}) };
  return { color: COMPARE[c.id] ?? '#777777', width: 1.5, ...(c.id === 'zero-one' ? { dash: [3, 3] } : {}) };
}

/** A point's colour: its class (±1 labels as classes 0 and 1), one colour for regression. */
export function pointColor(view: LossView, label: number): string {
  if (view.axis === 'residual') return '#333333';
  return classColor(label === -1 ? 0 : label);
}

/** The examples whose slope is not 0: they are the ones that move the weights. */
export function pushing(view: LossView): number {
  return (view.points ?? []).filter((p) => p.slope !== 0).length;
}

/**
 * The y range of a chart: the graph's own curve and the points, padded, so a steep comparison
 * curve (the squared loss far from the margin) runs off the top instead of flattening the rest.
 */
export function yRange(view: LossView, kind: 'loss' | 'slope'): [number, number] {
  const vals: number[] = [];
  for (const c of view.curves) if (c.chosen) vals.push(...c[kind]);
  for (const p of view.points ?? []) vals.push(p[kind]);
  if (kind === 'loss') vals.push(1.2);
  else vals.push(-1, 1);
  const finite = vals.filter(Number.isFinite);
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  const pad = 0.08 * (hi - lo || 1);
  if (kind === 'loss') lo = Math.min(0, lo);
  lo -= pad;
  hi += pad;
  return [lo, hi];
}
