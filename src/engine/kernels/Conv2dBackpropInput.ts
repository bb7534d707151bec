import type { Conv2dInfo, Floats } from './convInfo';
import { col2im } from './Im2Col';
import { gemm } from './gemm/gemm';
import type { KernelConfig } from './registry';
import { empty } from '../tensor/create';
import { runRows, type RangeKernel } from '../parallel/kernelPool';
import { convOutputs, convScratch, im2colRows, infoOfScalars, infoScalars, shapeAttr } from './convInfo';
import { conv2dInfoFor } from './Conv2d';
import { sameDType } from './kernelUtil';
import { conv2dBackpropInputF32Simd } from './wasm/convF32Simd';

/**
 * Gradient of conv2d with respect to its input: dx = col2im(weightᵀ · dy), i.e. a transposed
 * convolution. dy [N, F, outH, outW], weight [F, C, kH, kW] → dx [N, C, H, W] (overwritten).
 * One sample at a time, as the forward kernel: cols_n (C·kH·kW × outH·outW, a scratch buffer of
 * this thread) = weightᵀ · dy_n (dy_n is already F × outH·outW in NCHW), then col2im into dx_n;
 * the samples are split over the kernel pool when one is installed.
 */
export function conv2dBackpropInput(dy: Floats, weight: Floats, info: Conv2dInfo, dx: Floats): void {
  const work = info.outChannels * im2colRows(info) * info.batch * info.outHeight * info.outWidth;
  runRows(
    {
      kernel: 'Conv2dBackpropInput',
      arrays: [dy, weight, dx],
      writes: [2],
      scalars: infoScalars(info),
      rows: info.batch,
    },
    conv2dBackpropInputSamples,
    work,
  );
}

/**
 * {@link conv2dBackpropInput} for samples [n0, n1), in the form the kernel pool runs
 * (kernels/rangeKernels.ts). arrays: [dy, weight, dx]; scalars: infoScalars(info).
 */
export const conv2dBackpropInputSamples: RangeKernel = (arrays, s, n0, n1) => {
  const [dy, weight, dx] = arrays as Floats[];
  const info = infoOfScalars(s);
  // float32, stride 1: the direct WebAssembly SIMD transposed convolution (the same numbers).
  if (
    dy instanceof Float32Array &&
    weight instanceof Float32Array &&
    dx instanceof Float32Array &&
    conv2dBackpropInputF32Simd(dy, weight, info, dx, n0, n1)
  )
    return;
  conv2dBackpropInputGemmSamples(dy, weight, info, dx, n0, n1);
};

/**
 * The gemm + col2im input gradient for samples [n0, n1): the path for float64, strides above 1,
 * non-finite weights and runtimes without WebAssembly SIMD, and the twin the direct SIMD kernel is
 * tested against.
 */
export function conv2dBackpropInputGemmSamples(
  dy: Floats,
  weight: Floats,
  info: Conv2dInfo,
  dx: Floats,
  n0: number,
  n1: number,
): void {
  const one = { ...info, batch: 1 };
  const F = info.outChannels;
  const K = im2colRows(info);
  const L = info.outHeight * info.outWidth;
  const xLen = info.inChannels * info.inHeight * info.inWidth;
  const cols = convScratch(dy, K * L);
  // weightᵀ: element (k, f) = weight[f·K + k].
  const Wt = { data: weight, off: 0, rs: 1, cs: K };
  for (let n = n0; n < n1; n++) {
    gemm(K, L, F, Wt, { data: dy, off: n * F * L, rs: L, cs: 1 }, cols, 0, false);
    const dxn = dx.subarray(n * xLen, (n + 1) * xLen);
    dxn.fill(0);
    col2im(cols, one, dxn);
  }
}

/** Naive twin of {@link conv2dBackpropInput}, for tests only: scatter every output gradient back. */
export function conv2dBackpropInputNaive(dy: Floats, weight: Floats, info: Conv2dInfo, dx: Floats): void {
  dx.fill(0);
  for (const { y, taps } of convOutputs(info)) for (const [xi, wi] of taps) dx[xi] += dy[y] * weight[wi];
}

/** Kernel "Conv2dBackpropInput": inputs [dy, weight]; attrs {xShape, stride, padding, dilation}. */
export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2dBackpropInput',
  backendName: 'cpu',
  kernelFunc: (inputs, attrs) => {
    const [dy, w] = inputs;
    sameDType('Conv2dBackpropInput', inputs);
    const info = conv2dInfoFor(shapeAttr(attrs, 'xShape'), w.shape, attrs);
    const dx = empty([info.batch, info.inChannels, info.inHeight, info.inWidth], dy.dtype);
    conv2dBackpropInput(dy.data, w.data, info, dx.data);
    return [dx];
  },
};
