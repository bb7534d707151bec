import type { Conv2dInfo, Floats } from './convInfo';

/**
 * im2col: unfolds every receptive field of an NCHW input into one column, so that a convolution
 * becomes one matrix product. Layout of `cols`: [C·kH·kW, N·outH·outW], row (c·kH + ki)·kW + kj,
 * column n·outH·outW + oh·outW + ow. Padding reads as zero.
 */
export function im2col(x: Floats, info: Conv2dInfo, cols: Floats): void {
  const { batch, inChannels, inHeight: H, inWidth: W, kernelHeight: kH, kernelWidth: kW } = info;
  const { strideHeight: sH, strideWidth: sW, padHeight: pH, padWidth: pW } = info;
  const { dilationHeight: dH, dilationWidth: dW, outHeight: oH, outWidth: oW } = info;
  const L = oH * oW;
  const NL = batch * L;
  for (let c = 0; c < inChannels; c++) {
    for (let ki = 0; ki < kH; ki++) {
      for (let kj = 0; kj < kW; kj++) {
        const rowOff = ((c * kH + ki) * kW + kj) * NL;
        // Valid output columns for this kernel column: 0 <= ow·sW − pW + kj·dW < W.
        const shiftW = kj * dW - pW;
        const owStart = Math.min(oW, Math.max(0, Math.ceil(-shiftW / sW)));
        const owEnd = Math.max(owStart, Math.min(oW, Math.ceil((W - shiftW) / sW)));
        for (let n = 0; n < batch; n++) {
          const xOff = (n * inChannels + c) * H * W;
          let o = rowOff + n * L;
          for (let oh = 0; oh < oH; oh++) {
            const ih = oh * sH - pH + ki * dH;
            if (ih < 0 || ih >= H) {
              for (let ow = 0; ow < oW; ow++) cols[o++] = 0;
              continue;
            }
            const xRow = xOff + ih * W + shiftW;
            for (let ow = 0; ow < owStart; ow++) cols[o++] = 0;
            for (let ow = owStart; ow < owEnd; ow++) cols[o++] = x[xRow + ow * sW];
            for (let ow = owEnd; ow < oW; ow++) cols[o++] = 0;
          }
        }
      }
    }
  }
}

/**
 * col2im: the adjoint of im2col. Adds every column entry back onto the input position it was
 * read from (overlapping receptive fields sum); padding positions are dropped. `dx` is
 * accumulated into, so the caller zeroes it first when it wants a fresh gradient.
 */
export function col2im(cols: Floats, info: Conv2dInfo, dx: Floats): void {
  const { batch, inChannels, inHeight: H, inWidth: W, kernelHeight: kH, kernelWidth: kW } = info;
  const { strideHeight: sH, strideWidth: sW, padHeight: pH, padWidth: pW } = info;
  const { dilationHeight: dH, dilationWidth: dW, outHeight: oH, outWidth: oW } = info;
  const L = oH * oW;
  const NL = batch * L;
  for (let c = 0; c < inChannels; c++) {
    for (let ki = 0; ki < kH; ki++) {
      for (let kj = 0; kj < kW; kj++) {
        const rowOff = ((c * kH + ki) * kW + kj) * NL;
        const shiftW = kj * dW - pW;
        const owStart = Math.min(oW, Math.max(0, Math.ceil(-shiftW / sW)));
        const owEnd = Math.max(owStart, Math.min(oW, Math.ceil((W - shiftW) / sW)));
        for (let n = 0; n < batch; n++) {
          const xOff = (n * inChannels + c) * H * W;
          const colOff = rowOff + n * L;
          for (let oh = 0; oh < oH; oh++) {
            const ih = oh * sH - pH + ki * dH;
            if (ih < 0 || ih >= H) continue;
            const xRow = xOff + ih * W + shiftW;
            const o = colOff + oh * oW;
            for (let ow = owStart; ow < owEnd; ow++) dx[xRow + ow * sW] += cols[o + ow];
          }
        }
      }
    }
  }
}

/** Naive twin of im2col, for tests only: one bounds check per element. */
export function im2colNaive(x: Floats, info: Conv2dInfo, cols: Floats): void {
  const { batch, inChannels, inHeight: H, inWidth: W, kernelHeight: kH, kernelWidth: kW } = info;
  const L = info.outHeight * info.outWidth;
  for (let c = 0; c < inChannels; c++)
    for (let ki = 0; ki < kH; ki++)
      for (let kj = 0; kj < kW; kj++)
        for (let n = 0; n < batch; n++)
          for (let oh = 0; oh < info.outHeight; oh++)
            for (let ow = 0; ow < info.outWidth; ow++) {
              const ih = oh * info.strideHeight - info.padHeight + ki * info.dilationHeight;
              const iw = ow * info.strideWidth - info.padWidth + kj * info.dilationWidth;
              const inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
              cols[((c * kH + ki) * kW + kj) * batch * L + n * L + oh * info.outWidth + ow] = inside
                ? x[((n * inChannels + c) * H + ih) * W + iw]
                : 0;
            }
}

/** Naive twin of col2im, for tests only. */
export function col2imNaive(cols: Floats, info: Conv2dInfo, dx: Floats): void {
  const { batch, inChannels, inHeight: H, inWidth: W, kernelHeight: kH, kernelWidth: kW } = info;
  const L = info.outHeight * info.outWidth;
  for (let c = 0; c < inChannels; c++)
    for (let ki = 0; ki < kH; ki++)
      for (let kj = 0; kj < kW; kj++)
        for (let n = 0; n < batch; n++)
          for (let oh = 0; oh < info.outHeight; oh++)
            for (let ow = 0; ow < info.outWidth; ow++) {
              const ih = oh * info.strideHeight - info.padHeight + ki * info.dilationHeight;
              const iw = ow * info.strideWidth - info.padWidth + kj * info.dilationWidth;
              if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
                dx[((n * inChannels + c) * H + ih) * W + iw] +=
                  cols[((c * kH + ki) * kW + kj) * batch * L + n * L + oh * info.outWidth + ow];
              }
            }
}
