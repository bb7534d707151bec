import type { DType, TypedArray } from './dtype';
import { isDType } from './dtype';
import type { Shape } from './shape';
import { assertValidShape, checkedSizeOf, shapeToString, sizeOf } from './shape';
import { Storage } from './storage';
import { Tensor } from './tensor';
import type { Rng } from './rng';

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

/** Default dtype for new tensors. */
export const DEFAULT_DTYPE: DType = 'float32';

/** A tensor with uninitialised storage from the allocator (kernels fill it). */
export function empty(shape: Shape, dtype: DType = DEFAULT_DTYPE): Tensor {
  return new Tensor(shape, Storage.allocate(dtype, checkedSizeOf(shape)));
}

/**
 * A tensor from nested arrays, a flat array plus shape, or a typed array plus shape (copied).
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]]);                  // float32 [2, 2]
 * const w = tensor([1, 2, 3], [3], { dtype: 'float64', requiresGrad: true });
 */
export function tensor(
  values: number | readonly unknown[] | ArrayLike<number>,
  shape?: Shape,
  opts: TensorOptions = {},
): Tensor {
  const dtype = resolveDType(opts.dtype, values);
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (typeof values === 'number') {
    flat = [values];
    inferred = [];
  } else if (Array.isArray(values) && isFlatNumbers(values)) {
    // NOTE: the common case, a flat list of numbers, skips flat(Infinity) (slow: a class column
    // of a loss is built this way at every step); the values are the same.
    flat = values as readonly number[];
    inferred = [values.length];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values);
    flat = values.flat(Infinity) as number[];
  } else {
    flat = values as ArrayLike<number>;
    inferred = [flat.length];
  }
  const s = shape ?? inferred;
  assertValidShape(s);
  if (sizeOf(s) !== flat.length) {
    throw new Error(`tensor(): ${flat.length} values do not fill shape ${shapeToString(s)} (${sizeOf(s)} elements).`);
  }
  const t = empty(s, dtype);
  const d = t.data;
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number') throw new Error(`tensor(): element ${i} is not a number (${String(v)}).`);
    d[i] = v;
  }
  t.requiresGrad = opts.requiresGrad ?? false;
  return t;
}

export function scalar(value: number, opts: TensorOptions = {}): Tensor {
  return tensor(value, [], opts);
}

export function full(shape: Shape, value: number, opts: TensorOptions = {}): Tensor {
  const t = empty(shape, opts.dtype ?? DEFAULT_DTYPE);
  t.data.fill(value);
  t.requiresGrad = opts.requiresGrad ?? false;
  return t;
}

export function zeros(shape: Shape, opts: TensorOptions = {}): Tensor {
  return full(shape, 0, opts);
}

export function ones(shape: Shape, opts: TensorOptions = {}): Tensor {
  return full(shape, 1, opts);
}

export function zerosLike(t: Tensor): Tensor {
  return zeros(t.shape, { dtype: t.dtype });
}

export function onesLike(t: Tensor): Tensor {
  return ones(t.shape, { dtype: t.dtype });
}

/** 0, 1, …, n-1 (or start..end by step). */
export function arange(start: number, end?: number, step = 1, opts: TensorOptions = {}): Tensor {
  const [a, b] = end === undefined ? [0, start] : [start, end];
  const n = Math.max(0, Math.ceil((b - a) / step));
  const t = empty([n], opts.dtype ?? DEFAULT_DTYPE);
  for (let i = 0; i < n; i++) t.data[i] = a + i * step;
  return t;
}

/** Samples of N(mean, std²) from `rng` (Box–Muller), in row-major order. */
export function randn(shape: Shape, rng: Rng, opts: TensorOptions & { mean?: number; std?: number } = {}): Tensor {
  const t = empty(shape, opts.dtype ?? DEFAULT_DTYPE);
  const d = t.data;
  const mean = opts.mean ?? 0;
  const std = opts.std ?? 1;
  for (let i = 0; i < d.length && i < t.size; i++) d[i] = rng.normal(mean, std);
  t.requiresGrad = opts.requiresGrad ?? false;
  return t;
}

/** Samples of U[lo, hi) from `rng`, in row-major order. */
export function randUniform(shape: Shape, lo: number, hi: number, rng: Rng, opts: TensorOptions = {}): Tensor {
  const t = empty(shape, opts.dtype ?? DEFAULT_DTYPE);
  const d = t.data;
  for (let i = 0; i < t.size; i++) d[i] = rng.uniform(lo, hi);
  t.requiresGrad = opts.requiresGrad ?? false;
  return t;
}

/** Wraps a copy of a typed array. */
export function fromTypedArray(data: TypedArray, shape: Shape, opts: TensorOptions = {}): Tensor {
  const dtype = opts.dtype ?? (data instanceof Float64Array ? 'float64' : 'float32');
  const t = empty(shape, dtype);
  if (data.length !== t.size) {
    throw new Error(`fromTypedArray: ${data.length} values do not fill shape ${shapeToString(shape)}.`);
  }
  t.data.set(data);
  t.requiresGrad = opts.requiresGrad ?? false;
  return t;
}

function resolveDType(d: DType | undefined, values: unknown): DType {
  if (d !== undefined) {
    if (!isDType(d)) throw new Error(`Unknown dtype "${String(d)}"; use 'float32' or 'float64'.`);
    return d;
  }
  return values instanceof Float64Array ? 'float64' : DEFAULT_DTYPE;
}

/** Whether every element is a number (a 1-D list); nested or mixed lists take the general path. */
function isFlatNumbers(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'number') return false;
  return true;
}

function inferShape(values: readonly unknown[]): number[] {
  const shape: number[] = [];
  let cur: unknown = values;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  const check = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new Error('tensor(): ragged nested array (too deep).');
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new Error(`tensor(): ragged nested array at depth ${dim} (expected length ${shape[dim]}).`);
    }
    for (const x of v) check(x, dim + 1);
  };
  check(values, 0);
  return shape;
}
