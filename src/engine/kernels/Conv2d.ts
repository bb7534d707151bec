import type { Conv2dInfo, Floats } from './convInfo';
import { im2col } from './Im2Col';
import { gemmParallel } from './gemm/gemm';
import type { KernelConfig } from './registry';
import { empty } from '../tensor/create';
import { computeConv2dInfo, geometryAttrs, im2colCols, im2colRows } from './convInfo';
import { sameDType } from './kernelUtil';

/**
 * Conv2d forward, NCHW, groups = 1 (torch.nn.functional.conv2d semantics: cross-correlation).
 *
 * x [N, C, H, W], weight [F, C, kH, kW], bias [F] or null → out [N, F, outH, outW].
 * Scratch: `cols` of length C·kH·kW · N·outH·outW (see im2col; afterwards it holds the unfolded
 * input) and `tmp` of length F · N·outH·outW.
 *
 * One matrix product for the whole batch, tmp (F × N·L) = weight (F × C·kH·kW) · cols, on the
 * engine's gemm (WebAssembly SIMD for float32, split over the kernel pool when one is
 * installed), then tmp is scattered to NCHW with the bias added.
 */
export function conv2d(
  x: Floats,
  weight: Floats,
  bias: Floats | null,
  info: Conv2dInfo,
  out: Floats,
  cols: Floats,
  tmp: Floats,
): void {
  im2col(x, info, cols);
  const F = info.outChannels;
  const K = info.inChannels * info.kernelHeight * info.kernelWidth;
  const L = info.outHeight * info.outWidth;
  const NL = info.batch * L;
  gemmParallel(F, NL, K, { data: weight, off: 0, rs: K, cs: 1 }, { data: cols, off: 0, rs: NL, cs: 1 }, tmp, 0, false);
  for (let n = 0; n < info.batch; n++) {
    for (let f = 0; f < F; f++) {
      const bf = bias ? bias[f] : 0;
      const src = f * NL + n * L;
      const dst = (n * F + f) * L;
      for (let l = 0; l < L; l++) out[dst + l] = tmp[src + l] + bf;
    }
  }
}

/** NCHW dy [N, F, L] → dyT [F, N·L] (the layout the backward products read as one matrix). */
export function channelsFirst(dy: Floats, info: Conv2dInfo, dyT: Floats): void {
  const F = info.outChannels;
  const L = info.outHeight * info.outWidth;
  const NL = info.batch * L;
  for (let n = 0; n < info.batch; n++) {
    for (let f = 0; f < F; f++) {
      const src = (n * F + f) * L;
      const dst = f * NL + n * L;
      for (let l = 0; l < L; l++) dyT[dst + l] = dy[src + l];
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
    const tmp = empty([info.outChannels * im2colCols(info)], x.dtype);
    try {
      conv2d(x.data, w.data, b ? b.data : null, info, out.data, cols.data, tmp.data);
    } finally {
      cols.dispose();
      tmp.dispose();
    }
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
