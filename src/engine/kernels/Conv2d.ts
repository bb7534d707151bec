import type { Conv2dInfo, Floats } from './convInfo';
import { im2col } from './Im2Col';
import { gemm } from './gemm/gemm';
import type { KernelConfig } from './registry';
import { empty } from '../tensor/create';
import { runRows, type RangeKernel } from '../parallel/kernelPool';
import {
  computeConv2dInfo,
  convOutputs,
  convScratch,
  geometryAttrs,
  im2colRows,
  infoOfScalars,
  infoScalars,
} from './convInfo';
import { sameDType } from './kernelUtil';
import { conv2dF32Simd } from './wasm/convF32Simd';

/**
 * Conv2d forward, NCHW, groups = 1 (torch.nn.functional.conv2d semantics: cross-correlation).
 * x [N, C, H, W], weight [F, C, kH, kW], bias [F] or null → out [N, F, outH, outW].
 *
 * One sample at a time: its input unfolded (im2col, [C·kH·kW, outH·outW], in a scratch buffer
 * of this thread that stays in cache), then out_n (F × outH·outW, already NCHW) = weight · cols_n
 * on the engine's gemm (WebAssembly SIMD for float32), then the bias. Each output element is
 * the same sum in the same order as one batch-wide product, without the batch-sized buffers and
 * the scatter to NCHW that product needs (measured 2× faster on the conv net). The samples are
 * split over the kernel pool when one is installed and the work is large enough.
 */
export function conv2d(x: Floats, weight: Floats, bias: Floats | null, info: Conv2dInfo, out: Floats): void {
  const arrays = [x, weight, bias ?? x.subarray(0, 0), out];
  const scalars = [...infoScalars(info), bias ? 1 : 0];
  const work = info.outChannels * im2colRows(info) * info.batch * info.outHeight * info.outWidth;
  runRows({ kernel: 'Conv2d', arrays, writes: [3], scalars, rows: info.batch }, conv2dSamples, work);
}

/**
 * {@link conv2d} for samples [n0, n1), in the form the kernel pool runs (kernels/rangeKernels.ts).
 * arrays: [x, weight, bias (empty when none), out]; scalars: infoScalars(info), hasBias (0|1).
 */
export const conv2dSamples: RangeKernel = (arrays, s, n0, n1) => {
  const [x, weight, bias, out] = arrays as Floats[];
  const info = infoOfScalars(s);
  const b = s[15] === 1 ? bias : null;
  // float32, stride 1: the direct WebAssembly SIMD convolution (the same numbers, no unfolding).
  if (
    x instanceof Float32Array &&
    weight instanceof Float32Array &&
    out instanceof Float32Array &&
    (b === null || b instanceof Float32Array) &&
    conv2dF32Simd(x, weight, b, info, out, n0, n1)
  )
    return;
  conv2dGemmSamples(x, weight, b, info, out, n0, n1);
};

/**
 * The im2col + gemm forward pass for samples [n0, n1): the path for float64, strides above 1 and
 * runtimes without WebAssembly SIMD, and the twin the direct SIMD convolution is tested against.
 */
export function conv2dGemmSamples(
  x: Floats,
  weight: Floats,
  bias: Floats | null,
  info: Conv2dInfo,
  out: Floats,
  n0: number,
  n1: number,
): void {
  const one = { ...info, batch: 1 };
  const F = info.outChannels;
  const K = im2colRows(info);
  const L = info.outHeight * info.outWidth;
  const xLen = info.inChannels * info.inHeight * info.inWidth;
  const cols = convScratch(x, K * L);
  const W = { data: weight, off: 0, rs: K, cs: 1 };
  const B = { data: cols, off: 0, rs: L, cs: 1 };
  for (let n = n0; n < n1; n++) {
    im2col(x.subarray(n * xLen, (n + 1) * xLen), one, cols);
    const o = n * F * L;
    gemm(F, L, K, W, B, out, o, false);
    if (!bias) continue;
    for (let f = 0; f < F; f++) {
      const bf = bias[f];
      for (let i = o + f * L, end = i + L; i < end; i++) out[i] += bf;
    }
  }
}

/** Naive twin of {@link conv2d}, for tests only: the defining seven nested loops. */
export function conv2dNaive(x: Floats, weight: Floats, bias: Floats | null, info: Conv2dInfo, out: Floats): void {
  for (const { y, f, taps } of convOutputs(info)) {
    let s = bias ? bias[f] : 0;
    for (const [xi, wi] of taps) s += x[xi] * weight[wi];
    out[y] = s;
  }
}

/**
 * Kernel "Conv2d": inputs [x, weight] or [x, weight, bias]; attrs {stride, padding, dilation}
 * as [h, w] pairs. The kernel size comes from the weight's shape [F, C, kH, kW].
 */
export const conv2dConfig: KernelConfig = {
  kernelName: 'Conv2d',
  backendName: 'cpu',
  kernelFunc: (inputs, attrs) => {
    const [x, w, b] = inputs;
    sameDType('Conv2d', inputs);
    const info = conv2dInfoFor(x.shape, w.shape, attrs);
    const out = empty([info.batch, info.outChannels, info.outHeight, info.outWidth], x.dtype);
    conv2d(x.data, w.data, b ? b.data : null, info, out.data);
    return [out];
  },
};

/** Validates x [N, C, H, W] against weight [F, C, kH, kW] and returns the conv shape info. */
export function conv2dInfoFor(
  xShape: readonly number[],
  wShape: readonly number[],
  attrs: Readonly<Record<string, unknown>>,
): Conv2dInfo {
  if (wShape.length !== 4) {
    throw new Error(
      `Conv2d expects a weight of shape [out_channels, in_channels, kH, kW], got [${wShape.join(', ')}].`,
    );
  }
  if (xShape.length === 4 && xShape[1] !== wShape[1]) {
    throw new Error(
      `Conv2d: the input has ${xShape[1]} channels but the weight expects ${wShape[1]} (weight shape [${wShape.join(', ')}]).`,
    );
  }
  const g = geometryAttrs({ ...attrs, kernelSize: [wShape[2], wShape[3]] });
  return computeConv2dInfo(xShape, wShape[0], g, 'Conv2d');
}
