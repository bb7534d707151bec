import type { Conv2dInfo, Floats } from './convInfo';
import { im2col } from './Im2Col';
import { gemm } from './gemm/gemm';
import type { KernelConfig } from './registry';
import { empty } from '../tensor/create';
import { convOutputs, convScratch, im2colRows, shapeAttr } from './convInfo';
import { conv2dInfoFor } from './Conv2d';
import { sameDType } from './kernelUtil';
import { conv2dBackpropFilterF32Simd } from './wasm/convF32Simd';

/**
 * Gradient of conv2d with respect to its weight: dw = Σ_n dy_n · cols_nᵀ. x [N, C, H, W],
 * dy [N, F, outH, outW] → dw [F, C, kH, kW] (overwritten). One sample at a time, as the forward
 * kernel: the sample's input unfolded into a scratch buffer of this thread (C·kH·kW × outH·outW),
 * and dy_n read in place (F × outH·outW in NCHW); each sample's product is added into dw.
 * NOTE: float32 sums are grouped per sample (then added up over the batch), not one long sum
 * over N·outH·outW: the rounding differs in the last bits, and is no worse.
 */
export function conv2dBackpropFilter(x: Floats, dy: Floats, info: Conv2dInfo, dw: Floats): void {
  // float32, stride 1: the direct WebAssembly SIMD kernel (the same numbers, no unfolding).
  if (
    x instanceof Float32Array &&
    dy instanceof Float32Array &&
    dw instanceof Float32Array &&
    conv2dBackpropFilterF32Simd(x, dy, info, dw)
  )
    return;
  conv2dBackpropFilterGemm(x, dy, info, dw);
}

/**
 * The im2col + gemm filter gradient: the path for float64, strides above 1 and runtimes without
 * WebAssembly SIMD, and the twin the direct SIMD kernel is tested against.
 */
export function conv2dBackpropFilterGemm(x: Floats, dy: Floats, info: Conv2dInfo, dw: Floats): void {
  const F = info.outChannels;
  const K = im2colRows(info);
  const L = info.outHeight * info.outWidth;
  const xLen = info.inChannels * info.inHeight * info.inWidth;
  dw.fill(0, 0, F * K);
  const one = { ...info, batch: 1 };
  const cols = convScratch(x, K * L);
  // cols_nᵀ: element (l, k) = cols[k·L + l].
  const Ct = { data: cols, off: 0, rs: 1, cs: L };
  for (let n = 0; n < info.batch; n++) {
    im2col(x.subarray(n * xLen, (n + 1) * xLen), one, cols);
    gemm(F, K, L, { data: dy, off: n * F * L, rs: L, cs: 1 }, Ct, dw, 0, n > 0);
  }
}

/** Naive twin of {@link conv2dBackpropFilter}, for tests only. */
export function conv2dBackpropFilterNaive(x: Floats, dy: Floats, info: Conv2dInfo, dw: Floats): void {
  dw.fill(0);
  for (const { y, taps } of convOutputs(info)) for (const [xi, wi] of taps) dw[wi] += dy[y] * x[xi];
}

/** Kernel "Conv2dBackpropFilter": inputs [x, dy]; attrs {weightShape, stride, padding, dilation}. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2dBackpropFilter',
  backendName: 'cpu',
  kernelFunc: (inputs, attrs) => {
    const [x, dy] = inputs;
    sameDType('Conv2dBackpropFilter', inputs);
    const wShape = shapeAttr(attrs, 'weightShape');
    const info = conv2dInfoFor(x.shape, wShape, attrs);
    const dw = empty(wShape, x.dtype);
    conv2dBackpropFilter(x.data, dy.data, info, dw.data);
    return [dw];
  },
};
