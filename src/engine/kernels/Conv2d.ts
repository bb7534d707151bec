import type { Conv2dInfo, Floats } from './convInfo';
import { im2col } from './Im2Col';
import { stridedGemm } from './stridedGemm';

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
