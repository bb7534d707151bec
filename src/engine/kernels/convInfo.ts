/**
 * Shape bookkeeping shared by the Conv2d and pooling kernels (NCHW, PyTorch semantics).
 *
 * Output size along one axis: floor((in + 2·pad − dilation·(k − 1) − 1) / stride) + 1,
 * exactly torch.nn.Conv2d / MaxPool2d / AvgPool2d with ceil_mode=False.
 */

/** A float buffer the kernels read and write (float32 for speed, float64 for gradient checks). */
export type Floats = Float32Array | Float64Array;

/** Everything a 2-D convolution or pooling kernel needs to know about its shapes. */
export interface Conv2dInfo {
  batch: number;
  inChannels: number;
  inHeight: number;
  inWidth: number;
  outChannels: number;
  kernelHeight: number;
  kernelWidth: number;
  strideHeight: number;
  strideWidth: number;
  padHeight: number;
  padWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  outHeight: number;
  outWidth: number;
}

/** A scalar or a [height, width] pair, as torch accepts for kernel_size, stride, padding, dilation. */
export type Pair = number | readonly [number, number];

export function pair(value: Pair, name: string): [number, number] {
  const p: [number, number] = typeof value === 'number' ? [value, value] : [value[0], value[1]];
  for (const v of p) {
    if (!Number.isInteger(v))
      throw new Error(`${name} must be an integer or a pair of integers, got ${String(value)}.`);
  }
  return p;
}

/** floor((size + 2·pad − dilation·(k − 1) − 1) / stride) + 1. */
export function convOutputSize(size: number, kernel: number, stride: number, pad: number, dilation: number): number {
  return Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}

export interface Conv2dGeometry {
  kernelSize: Pair;
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
}

/**
 * Validates an NCHW input shape against a kernel geometry and returns the full shape info.
 * `outChannels` is the number of filters (the channel count of the input for pooling).
 *
 * @example
 * const info = computeConv2dInfo([32, 1, 28, 28], 8, { kernelSize: 3 }, 'Conv2d');
 * info.outHeight; // 26
 */
export function computeConv2dInfo(
  xShape: readonly number[],
  outChannels: number,
  geometry: Conv2dGeometry,
  what: string,
): Conv2dInfo {
  if (xShape.length !== 4) {
    throw new Error(`${what} expects an input of shape [batch, channels, height, width], got [${xShape.join(', ')}].`);
  }
  const [kernelHeight, kernelWidth] = pair(geometry.kernelSize, `${what} kernel_size`);
  const [strideHeight, strideWidth] = pair(geometry.stride ?? geometry.kernelSize, `${what} stride`);
  const [padHeight, padWidth] = pair(geometry.padding ?? 0, `${what} padding`);
  const [dilationHeight, dilationWidth] = pair(geometry.dilation ?? 1, `${what} dilation`);
  if (kernelHeight < 1 || kernelWidth < 1) throw new Error(`${what} kernel_size must be at least 1.`);
  if (strideHeight < 1 || strideWidth < 1) throw new Error(`${what} stride must be at least 1.`);
  if (dilationHeight < 1 || dilationWidth < 1) throw new Error(`${what} dilation must be at least 1.`);
  if (padHeight < 0 || padWidth < 0) throw new Error(`${what} padding must not be negative.`);
  const [batch, inChannels, inHeight, inWidth] = xShape;
  const outHeight = convOutputSize(inHeight, kernelHeight, strideHeight, padHeight, dilationHeight);
  const outWidth = convOutputSize(inWidth, kernelWidth, strideWidth, padWidth, dilationWidth);
  if (outHeight < 1 || outWidth < 1) {
    throw new Error(
      `${what}: the input ${inHeight}×${inWidth} is too small for a ${kernelHeight}×${kernelWidth} kernel ` +
        `(padding ${padHeight}×${padWidth}, dilation ${dilationHeight}×${dilationWidth}); the output would be ${outHeight}×${outWidth}.`,
    );
  }
  return {
    batch,
    inChannels,
    inHeight,
    inWidth,
    outChannels,
    kernelHeight,
    kernelWidth,
    strideHeight,
    strideWidth,
    padHeight,
    padWidth,
    dilationHeight,
    dilationWidth,
    outHeight,
    outWidth,
  };
}

/** Number of rows of the im2col matrix: inChannels · kernelHeight · kernelWidth. */
export function im2colRows(info: Conv2dInfo): number {
  return info.inChannels * info.kernelHeight * info.kernelWidth;
}

/** Number of columns of the im2col matrix: batch · outHeight · outWidth. */
export function im2colCols(info: Conv2dInfo): number {
  return info.batch * info.outHeight * info.outWidth;
}

/**
 * Shape info for MaxPool2d / AvgPool2d: stride defaults to the kernel size, and like PyTorch
 * the padding may be at most half the kernel size (so no window lies entirely in padding).
 */
export function computePool2dInfo(xShape: readonly number[], geometry: Conv2dGeometry, what: string): Conv2dInfo {
  const info = computeConv2dInfo(xShape, xShape[1] ?? 0, geometry, what);
  if (2 * info.padHeight > info.kernelHeight || 2 * info.padWidth > info.kernelWidth) {
    throw new Error(
      `${what}: padding ${info.padHeight}×${info.padWidth} must be at most half the kernel size ` +
        `${info.kernelHeight}×${info.kernelWidth}.`,
    );
  }
  return info;
}

/** Reads a [height, width] pair attribute written by the conv / pool ops. */
export function pairAttr(
  attrs: Readonly<Record<string, unknown>>,
  name: string,
  fallback?: [number, number],
): [number, number] {
  const v = attrs[name];
  if (v === undefined && fallback) return fallback;
  if (Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n)))
    return [v[0] as number, v[1] as number];
  throw new Error(`Kernel attribute "${name}" must be a pair of integers, got ${JSON.stringify(v)}.`);
}

/** Reads a shape attribute (e.g. the input shape a backward kernel must produce). */
export function shapeAttr(attrs: Readonly<Record<string, unknown>>, name: string): number[] {
  const v = attrs[name];
  if (Array.isArray(v) && v.every((n) => Number.isInteger(n) && (n as number) >= 0)) return v as number[];
  throw new Error(
    `Kernel attribute "${name}" must be a shape (array of non-negative integers), got ${JSON.stringify(v)}.`,
  );
}

/** Conv2dGeometry from the attributes {kernelSize, stride, padding, dilation}. */
export function geometryAttrs(attrs: Readonly<Record<string, unknown>>): Conv2dGeometry {
  return {
    kernelSize: pairAttr(attrs, 'kernelSize'),
    stride: pairAttr(attrs, 'stride'),
    padding: pairAttr(attrs, 'padding', [0, 0]),
    dilation: pairAttr(attrs, 'dilation', [1, 1]),
  };
}

/** The fields of a Conv2dInfo in a fixed order: how a conv range kernel gets them as scalars. */
const INFO_FIELDS = [
  'batch',
  'inChannels',
  'inHeight',
  'inWidth',
  'outChannels',
  'kernelHeight',
  'kernelWidth',
  'strideHeight',
  'strideWidth',
  'padHeight',
  'padWidth',
  'dilationHeight',
  'dilationWidth',
  'outHeight',
  'outWidth',
] as const satisfies readonly (keyof Conv2dInfo)[];

/** A Conv2dInfo as plain numbers (see {@link infoOfScalars}), for the kernel pool. */
export function infoScalars(info: Conv2dInfo): number[] {
  return INFO_FIELDS.map((f) => info[f]);
}

/** The Conv2dInfo stored from `at` by {@link infoScalars}. */
export function infoOfScalars(s: readonly number[], at = 0): Conv2dInfo {
  const info = {} as Record<(typeof INFO_FIELDS)[number], number>;
  INFO_FIELDS.forEach((f, i) => (info[f] = s[at + i]));
  return info;
}

const scratch = { f32: new Float32Array(0), f64: new Float64Array(0) };

/**
 * A reusable buffer of at least `length` elements of `like`'s type, owned by this thread (each
 * kernel-pool worker has its own), for the per-sample unfolded input of the conv kernels.
 * Contents are undefined; valid until the next call.
 */
export function convScratch(like: Floats, length: number): Floats {
  if (like instanceof Float32Array) {
    if (scratch.f32.length < length) scratch.f32 = new Float32Array(length);
    return scratch.f32;
  }
  if (scratch.f64.length < length) scratch.f64 = new Float64Array(length);
  return scratch.f64;
}

/** One output position of a convolution for the naive twins: see {@link convOutputs}. */
export interface ConvOutputTaps {
  /** Flat index of the output element in [N, F, outH, outW]. */
  y: number;
  /** Its filter. */
  f: number;
  /** The kernel taps that land inside the input, in (c, ki, kj) order: [x index, weight index]. */
  taps: [number, number][];
}

/**
 * The naive twins' walk over a convolution, the definition they share: every output position in
 * (n, f, oh, ow) order with the taps that land inside the input, in (c, ki, kj) order. For tests
 * only (it allocates per position).
 */
export function* convOutputs(info: Conv2dInfo): Generator<ConvOutputTaps> {
  const { batch, inChannels: C, inHeight: H, inWidth: W, outChannels: F, kernelHeight: kH, kernelWidth: kW } = info;
  for (let n = 0; n < batch; n++)
    for (let f = 0; f < F; f++)
      for (let oh = 0; oh < info.outHeight; oh++)
        for (let ow = 0; ow < info.outWidth; ow++) {
          const taps: [number, number][] = [];
          for (let c = 0; c < C; c++)
            for (let ki = 0; ki < kH; ki++)
              for (let kj = 0; kj < kW; kj++) {
                const ih = oh * info.strideHeight - info.padHeight + ki * info.dilationHeight;
                const iw = ow * info.strideWidth - info.padWidth + kj * info.dilationWidth;
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                taps.push([((n * C + c) * H + ih) * W + iw, ((f * C + c) * kH + ki) * kW + kj]);
              }
          yield { y: ((n * F + f) * info.outHeight + oh) * info.outWidth + ow, f, taps };
        }
}
