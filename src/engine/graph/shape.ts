/**
 * Shapes as the graph sees them. The batch dimension is symbolic: it is stored as -1 and printed
 * as `N`, so `[-1, 2]` reads "N×2". Input nodes declare their shape without the batch dimension.
 */
export type Shape = readonly number[];

/** The symbolic batch dimension inside a {@link Shape}. */
export const BATCH = -1;

/** `[-1, 8, 2]` → `"N×8×2"`; a scalar (`[]`) → `"scalar"`. */
export function formatShape(shape: Shape): string {
  if (shape.length === 0) return 'scalar';
  return shape.map((d) => (d === BATCH ? 'N' : String(d))).join('×');
}

/** The same shape written for LaTeX: `N\times 8`. */
export function latexShape(shape: Shape): string {
  if (shape.length === 0) return '1';
  return shape.map((d) => (d === BATCH ? 'N' : String(d))).join('\\times ');
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Number of elements per sample: the product of every dimension except the batch one. */
export function sampleSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) if (d !== BATCH) n *= d;
  return n;
}

/** Resolves a PyTorch-style dimension index (negative counts from the end); undefined when out of range. */
export function normalizeDim(dim: number, rank: number): number | undefined {
  const d = dim < 0 ? dim + rank : dim;
  return d >= 0 && d < rank ? d : undefined;
}

/**
 * NumPy/PyTorch broadcasting of two shapes; undefined when they do not broadcast. The batch
 * dimension only broadcasts with itself or with 1.
 */
export function broadcastShapes(a: Shape, b: Shape): Shape | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db) out.push(da);
    else if (da === 1) out.push(db);
    else if (db === 1) out.push(da);
    else return undefined;
  }
  return out;
}
