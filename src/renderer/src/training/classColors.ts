/** Class colours shared by the data preview, the decision boundary and the confusion matrix (colour-blind safe, Okabe–Ito). */
export const CLASS_COLORS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#f0e442',
  '#000000',
  '#999999',
  '#7f3c8d',
];

export const classColor = (k: number): string =>
  CLASS_COLORS[((k % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];

/** Bounds of some values with a margin, never empty. */
export function paddedRange(values: readonly number[], pad = 0.08): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [-1, 1];
  const m = (hi - lo || 1) * pad;
  return [lo - m, hi + m];
}
