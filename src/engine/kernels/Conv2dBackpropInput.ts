import type { Conv2dInfo, Floats } from './convInfo';
import { col2im } from './Im2Col';
import { gemmParallel } from './gemm/gemm';
import type { KernelConfig } from './registry';
import { empty } from '../tensor/create';
import { im2colCols, im2colRows, shapeAttr } from './convInfo';
import { channelsFirst, conv2dInfoFor } from './Conv2d';
import { sameDType } from './kernelUtil';

/**
 * Gradient of conv2d with respect to its input: dx = col2im(weightᵀ · dy), i.e. a transposed
 * convolution. dy [N, F, outH, outW], weight [F, C, kH, kW] → dx [N, C, H, W] (overwritten).
 * Scratch: `cols` of length C·kH·kW · N·outH·outW and `dyT` of length F · N·outH·outW.
 * One product for the batch: cols (C·kH·kW × N·L) = weightᵀ · dyT.
 */
export function conv2dBackpropInput(
  dy: Floats,
  weight: Floats,
  info: Conv2dInfo,
  dx: Floats,
  cols: Floats,
  dyT: Floats,
): void {
  const F = info.outChannels;
  const K = info.inChannels * info.kernelHeight * info.kernelWidth;
  const NL = info.batch * info.outHeight * info.outWidth;
  channelsFirst(dy, info, dyT);
  // weightᵀ: element (k, f) = weight[f·K + k].
  gemmParallel(K, NL, F, { data: weight, off: 0, rs: 1, cs: K }, { data: dyT, off: 0, rs: NL, cs: 1 }, cols, 0, false);
  dx.fill(0);
  col2im(cols, info, dx);
}

/** Naive twin of {@link conv2dBackpropInput}, for tests only: scatter every output gradient back. */
export function conv2dBackpropInputNaive(dy: Floats, weight: Floats, info: Conv2dInfo, dx: Floats): void {
  const { batch, inChannels: C, inHeight: H, inWidth: W, outChannels: F, kernelHeight: kH, kernelWidth: kW } = info;
  dx.fill(0);
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
                dx[((n * C + c) * H + ih) * W + iw] += g * weight[((f * C + c) * kH + ki) * kW + kj];
              }
        }
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
    const cols = empty([im2colRows(info) * im2colCols(info)], dy.dtype);
    const dyT = empty([info.outChannels * im2colCols(info)], dy.dtype);
    try {
      conv2dBackpropInput(dy.data, w.data, info, dx.data, cols.data, dyT.data);
    } finally {
      cols.dispose();
      dyT.dispose();
    }
    return [dx];
  },
};
