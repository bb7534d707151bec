import type { Conv2dInfo, Floats } from './convInfo';
import { im2col } from './Im2Col';
import { gemmParallel } from './gemm/gemm';
import type { KernelConfig } from './registry';
import { empty } from '../tensor/create';
import { im2colCols, im2colRows, shapeAttr } from './convInfo';
import { channelsFirst, conv2dInfoFor } from './Conv2d';
import { sameDType } from './kernelUtil';

/**
 * Gradient of conv2d with respect to its weight: dW = dyT · colsᵀ, summing over the batch
 * inside one product. x [N, C, H, W], dy [N, F, outH, outW] → dw [F, C, kH, kW] (overwritten).
 * Scratch: `cols` of length C·kH·kW · N·outH·outW (pass `colsReady` when it already holds
 * im2col(x), as left by the forward kernel) and `dyT` of length F · N·outH·outW.
 */
export function conv2dBackpropFilter(
  x: Floats,
  dy: Floats,
  info: Conv2dInfo,
  dw: Floats,
  cols: Floats,
  dyT: Floats,
  colsReady = false,
): void {
  const F = info.outChannels;
  const K = info.inChannels * info.kernelHeight * info.kernelWidth;
  const NL = info.batch * info.outHeight * info.outWidth;
  if (NL === 0) {
    dw.fill(0, 0, F * K);
    return;
  }
  if (!colsReady) im2col(x, info, cols);
  channelsFirst(dy, info, dyT);
  // colsᵀ: element (p, k) = cols[k·NL + p].
  gemmParallel(F, K, NL, { data: dyT, off: 0, rs: NL, cs: 1 }, { data: cols, off: 0, rs: 1, cs: NL }, dw, 0, false);
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
    const dyT = empty([info.outChannels * im2colCols(info)], x.dtype);
    try {
      conv2dBackpropFilter(x.data, dy.data, info, dw.data, cols.data, dyT.data);
    } finally {
      cols.dispose();
      dyT.dispose();
    }
    return [dw];
  },
};
