import type { Conv2dInfo, Floats } from './convInfo';
import { im2col } from './Im2Col';
import { stridedGemm } from './stridedGemm';
import type { KernelConfig } from './registry';
import { empty } from '../tensor/create';
import { computeConv2dInfo, geometryAttrs, im2colCols, im2colRows } from './convInfo';
import { sameDType } from './kernelUtil';

/**
 * Conv2d forward, NCHW, groups = 1 (torch.nn.functional.conv2d semantics: cross-correlation).
 *
 * x [N, C, H, W], weight [F, C, kH, kW], bias [F] or null → out [N, F, outH, outW].
 * `cols` is scratch of length C·kH·kW · N·outH·outW (see im2col); after the call it holds the
 * unfolded input, which the backward-filter kernel can reuse.
 *
 * One matrix product per image: out[n] (F × outH·outW) = weight (F × C·kH·kW) · cols[:, n].
 */
export function conv2d(
  x: Floats,
  weight: Floats,
  bias: Floats | null,
  info: Conv2dInfo,
  out: Floats,
  cols: Floats,
): void {
  im2col(x, info, cols);
  conv2dFromCols(cols, weight, bias, info, out);
}

/** The matrix-product half of {@link conv2d}, on an already unfolded input. */
export function conv2dFromCols(cols: Floats, weight: Floats, bias: Floats | null, info: Conv2dInfo, out: Floats): void {
  const F = info.outChannels;
  const K = info.inChannels * info.kernelHeight * info.kernelWidth;
  const L = info.outHeight * info.outWidth;
  const NL = info.batch * L;
  const w = { data: weight, offset: 0, rowStride: K, colStride: 1 };
  for (let n = 0; n < info.batch; n++) {
    const cOff = n * F * L;
    const colsN = { data: cols, offset: n * L, rowStride: NL, colStride: 1 };
    stridedGemm(F, L, K, w, colsN, out, cOff, L, false);
    if (bias) {
      for (let f = 0; f < F; f++) {
        const bf = bias[f];
        const o = cOff + f * L;
        for (let l = 0; l < L; l++) out[o + l] += bf;
      }
    }
  }
}

/** Naive twin of {@link conv2d}, for tests only: the defining seven nested loops. */
export function conv2dNaive(x: Floats, weight: Floats, bias: Floats | null, info: Conv2dInfo, out: Floats): void {
  const { batch, inChannels: C, inHeight: H, inWidth: W, outChannels: F, kernelHeight: kH, kernelWidth: kW } = info;
  for (let n = 0; n < batch; n++)
    for (let f = 0; f < F; f++)
      for (let oh = 0; oh < info.outHeight; oh++)
        for (let ow = 0; ow < info.outWidth; ow++) {
          let s = bias ? bias[f] : 0;
          for (let c = 0; c < C; c++)
            for (let ki = 0; ki < kH; ki++)
              for (let kj = 0; kj < kW; kj++) {
                const ih = oh * info.strideHeight - info.padHeight + ki * info.dilationHeight;
                const iw = ow * info.strideWidth - info.padWidth + kj * info.dilationWidth;
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                s += x[((n * C + c) * H + ih) * W + iw] * weight[((f * C + c) * kH + ki) * kW + kj];
              }
          out[((n * F + f) * info.outHeight + oh) * info.outWidth + ow] = s;
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
    const cols = empty([im2colRows(info) * im2colCols(info)], x.dtype);
    try {
      conv2d(x.data, w.data, b ? b.data : null, info, out.data, cols.data);
    } finally {
      cols.dispose();
    }
    return [out];
  },
};

/** Validates x [N, C, H, W] against weight [F, C, kH, kW] and returns the conv shape info. */
export function conv2dInfoFor(xShape: readonly number[], wShape: readonly number[], attrs: Readonly<Record<string, unknown>>): Conv2dInfo {
  if (wShape.length !== 4) {
    throw new Error(`Conv2d expects a weight of shape [out_channels, in_channels, kH, kW], got [${wShape.join(', ')}].`);
  }
  if (xShape.length === 4 && xShape[1] !== wShape[1]) {
    throw new Error(`Conv2d: the input has ${xShape[1]} channels but the weight expects ${wShape[1]} (weight shape [${wShape.join(', ')}]).`);
  }
  const g = geometryAttrs({ ...attrs, kernelSize: [wShape[2], wShape[3]] });
  return computeConv2dInfo(xShape, wShape[0], g, 'Conv2d');
}
