/** Shape helpers. Shapes are plain arrays of non-negative integers; [] is a scalar. */
export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  // NOTE: an indexed loop: `for…of` allocated an iterator per call here (shapes come both frozen
  // and plain, and the iterator was not optimised away), garbage in every kernel call.
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major strides (in elements) of a contiguous tensor. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function shapeToString(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function assertValidShape(shape: Shape, what = 'shape'): void {
  checkedSizeOf(shape, what);
}

/** sizeOf after checking that every dimension is a non-negative integer (one pass). */
export function checkedSizeOf(shape: Shape, what = 'shape'): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(`Invalid ${what} ${shapeToString(shape)}: every dimension must be a non-negative integer.`);
    }
    n *= d;
  }
  return n;
}

/** NumPy broadcasting: align trailing dimensions; a dimension of 1 stretches. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new Error(
        `Shapes ${shapeToString(a)} and ${shapeToString(b)} cannot be broadcast together (dimension ${i} of the result: ${da} vs ${db}).`,
      );
    }
  }
  return out;
}

/** Resolves a possibly negative axis against a rank, with a clear error when out of range. */
export function normalizeAxis(axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new Error(`Axis ${axis} is out of range for a tensor of rank ${rank}.`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalises, sorts and de-duplicates a list of axes; undefined means all axes. */
export function normalizeAxes(axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) {
    const all = new Array<number>(rank);
    for (let i = 0; i < rank; i++) all[i] = i;
    return all;
  }
  if (typeof axes === 'number') return [normalizeAxis(axes, rank)];
  // NOTE: plain loops (no Set, map or spread): a gradient's sum over the batch calls this at every step.
  const out: number[] = [];
  for (let i = 0; i < axes.length; i++) {
    const a = normalizeAxis(axes[i], rank);
    if (!out.includes(a)) out.push(a);
  }
  if (out.length > 1) out.sort((x, y) => x - y);
  return out;
}

/** The axes of `full` along which `small` was broadcast (used to reduce gradients). */
export function broadcastedAxes(small: Shape, full: Shape): number[] {
  const axes: number[] = [];
  const off = full.length - small.length;
  for (let i = 0; i < full.length; i++) {
    const ds = i < off ? 1 : small[i - off];
    if (ds === 1 && (full[i] !== 1 || i < off)) axes.push(i);
  }
  return axes;
}
