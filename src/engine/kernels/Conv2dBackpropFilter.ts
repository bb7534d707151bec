import type { Conv2dInfo, Floats } from './convInfo';
import { im2col } from './Im2Col';
import { stridedGemm } from './stridedGemm';
import type { KernelConfig } from './registry';
import { empty } from '../tensor/create';
import { im2colCols, im2colRows, shapeAttr } from './convInfo';
import { conv2dInfoFor } from './Conv2d';
import { sameDType } from './kernelUtil';

/**
 * Gradient of conv2d with respect to its weight: dW = Σ_n dy[n] · cols[:, n]ᵀ.
 * x [N, C, H, W], dy [N, F, outH, outW] → dw [F, C, kH, kW] (overwritten).
 * `cols` is scratch of length C·kH·kW · N·outH·outW; pass `colsReady` when it already holds
 * im2col(x) (as left by the forward kernel) to skip the unfolding.
 */
export function conv2dBackpropFilter(
  x: Floats,
  dy: Floats,
  info: Conv2dInfo,
  dw: Floats,
  cols: Floats,
  colsReady = false,
): void {
  if (info.batch === 0) {
    dw.fill(0);
    return;
  }
  if (!colsReady) im2col(x, info, cols);
  const F = info.outChannels;
  const K = info.inChannels * info.kernelHeight * info.kernelWidth;
  const L = info.outHeight * info.outWidth;
  const NL = info.batch * L;
  for (let n = 0; n < info.batch; n++) {
    const dyN = { data: dy, offset: n * F * L, rowStride: L, colStride: 1 };
    // colsᵀ slice: element (l, k) = cols[k·NL + n·L + l].
    const colsT = { data: cols, offset: n * L, rowStride: 1, colStride: NL };
    stridedGemm(F, K, L, dyN, colsT, dw, 0, K, n > 0);
  }
}

/** Naive twin of {@link conv2dBackpropFilter}, for tests only. */
export function conv2dBackpropFilterNaive(x: Floats, dy: Floats, info: Conv2dInfo, dw: Floats): void {
  const { batch, inChannels: C, inHeight: H, inWidth: W, outChannels: F, kernelHeight: kH, kernelWidth: kW } = info;
  dw.fill(0);
  for (let n = 0; n < batch; n++)
    for (let f = 0; f < F; f++)
      for (let oh = 0; oh < info.outHeight; oh++)
        for (let ow = 0; ow < info.outWidth; ow++) {
          const g = dy[((n * F + f) * info.outHeight + oh) * info.outWidth + ow];
          for (let c = 0; c < C; c++)
            for (let ki = 0; ki < kH; ki++)
              for (let kj = 0; kj < kW; kj++) {
                const ih = oh * info.strideHeight - info.padHeight + ki * info.dilationHeight;
                const iw = ow * info.strideWidth - info.padWidth + kj * info.dilationWidth;
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                dw[((f * C + c) * kH + ki) * kW + kj] += g * x[((n * C + c) * H + ih) * W + iw];
              }
        }
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
    const cols = empty([im2colRows(info) * im2colCols(info)], x.dtype);
    try {
      conv2dBackpropFilter(x.data, dy.data, info, dw.data, cols.data);
    } finally {
      cols.dispose();
    }
    return [dw];
  },
};
