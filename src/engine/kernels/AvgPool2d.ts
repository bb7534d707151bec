import type { Conv2dInfo, Floats } from './convInfo';
import type { KernelConfig } from './registry';
import { empty } from '../tensor/create';
import { computePool2dInfo, geometryAttrs, shapeAttr } from './convInfo';

/**
 * AvgPool2d forward, NCHW (torch.nn.functional.avg_pool2d, ceil_mode=False).
 * With `countIncludePad` (PyTorch's default) every window divides by kH·kW, padding included;
 * without it, by the number of real input elements under the window.
 */
export function avgPool2d(x: Floats, info: Conv2dInfo, countIncludePad: boolean, out: Floats): void {
  const { inHeight: H, inWidth: W, kernelHeight: kH, kernelWidth: kW, outHeight: oH, outWidth: oW } = info;
  const { strideHeight: sH, strideWidth: sW, padHeight: pH, padWidth: pW } = info;
  const planes = info.batch * info.inChannels;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const xOff = p * H * W;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = oh * sH - pH;
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + kH, H);
      for (let ow = 0; ow < oW; ow++) {
        const w0 = ow * sW - pW;
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + kW, W);
        let s = 0;
        for (let h = hs; h < he; h++) {
          const row = xOff + h * W;
          for (let w = ws; w < we; w++) s += x[row + w];
        }
        out[o++] = s / poolDivisor(h0, w0, hs, he, ws, we, info, countIncludePad);
      }
    }
  }
}

/** Gradient of avgPool2d: each output gradient spreads evenly over its window. dx is overwritten. */
export function avgPool2dBackward(dy: Floats, info: Conv2dInfo, countIncludePad: boolean, dx: Floats): void {
  const { inHeight: H, inWidth: W, kernelHeight: kH, kernelWidth: kW, outHeight: oH, outWidth: oW } = info;
  const { strideHeight: sH, strideWidth: sW, padHeight: pH, padWidth: pW } = info;
  const planes = info.batch * info.inChannels;
  dx.fill(0);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const xOff = p * H * W;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = oh * sH - pH;
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + kH, H);
      for (let ow = 0; ow < oW; ow++) {
        const w0 = ow * sW - pW;
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + kW, W);
        const g = dy[o++] / poolDivisor(h0, w0, hs, he, ws, we, info, countIncludePad);
        for (let h = hs; h < he; h++) {
          const row = xOff + h * W;
          for (let w = ws; w < we; w++) dx[row + w] += g;
        }
      }
    }
  }
}

// NOTE: PyTorch clips the window to the *padded* input before counting (hend = min(h0 + kH, H + pH)).
// With ceil_mode=False the window never leaves the padded input, so that count is kH·kW.
function poolDivisor(
  h0: number,
  w0: number,
  hs: number,
  he: number,
  ws: number,
  we: number,
  info: Conv2dInfo,
  countIncludePad: boolean,
): number {
  if (!countIncludePad) return Math.max(1, (he - hs) * (we - ws));
  const hEnd = Math.min(h0 + info.kernelHeight, info.inHeight + info.padHeight);
  const wEnd = Math.min(w0 + info.kernelWidth, info.inWidth + info.padWidth);
  return (hEnd - h0) * (wEnd - w0);
}

/** Naive twin of {@link avgPool2d}, for tests only: visit every kernel tap, count the ones that count. */
export function avgPool2dNaive(x: Floats, info: Conv2dInfo, countIncludePad: boolean, out: Floats): void {
  naiveAvg(info, countIncludePad, (o, taps, divisor) => {
    let s = 0;
    for (const i of taps) s += x[i];
    out[o] = s / divisor;
  });
}

/** Naive twin of {@link avgPool2dBackward}, for tests only. */
export function avgPool2dBackwardNaive(dy: Floats, info: Conv2dInfo, countIncludePad: boolean, dx: Floats): void {
  dx.fill(0);
  naiveAvg(info, countIncludePad, (o, taps, divisor) => {
    for (const i of taps) dx[i] += dy[o] / divisor;
  });
}

function naiveAvg(
  info: Conv2dInfo,
  countIncludePad: boolean,
  visit: (o: number, taps: number[], divisor: number) => void,
): void {
  const { batch, inChannels: C, inHeight: H, inWidth: W } = info;
  for (let n = 0; n < batch; n++)
    for (let c = 0; c < C; c++)
      for (let oh = 0; oh < info.outHeight; oh++)
        for (let ow = 0; ow < info.outWidth; ow++) {
          const taps: number[] = [];
          let padded = 0;
          for (let ki = 0; ki < info.kernelHeight; ki++)
            for (let kj = 0; kj < info.kernelWidth; kj++) {
              const ih = oh * info.strideHeight - info.padHeight + ki;
              const iw = ow * info.strideWidth - info.padWidth + kj;
              if (ih >= -info.padHeight && ih < H + info.padHeight && iw >= -info.padWidth && iw < W + info.padWidth)
                padded++;
              if (ih >= 0 && ih < H && iw >= 0 && iw < W) taps.push(((n * C + c) * H + ih) * W + iw);
            }
          visit(
            ((n * C + c) * info.outHeight + oh) * info.outWidth + ow,
            taps,
            countIncludePad ? padded : Math.max(1, taps.length),
          );
        }
}

/** Kernel "AvgPool2d": input [x]; attrs {kernelSize, stride, padding, countIncludePad}. */
export const avgPool2dConfig: KernelConfig = {
  kernelName: 'AvgPool2d',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const info = computePool2dInfo(x.shape, geometryAttrs(attrs), 'AvgPool2d');
    const out = empty([info.batch, info.inChannels, info.outHeight, info.outWidth], x.dtype);
    avgPool2d(x.data, info, attrs.countIncludePad !== false, out.data);
    return [out];
  },
};

/** Kernel "AvgPool2dBackward": input [dy]; attrs {xShape, kernelSize, stride, padding, countIncludePad}. */
export const avgPool2dBackwardConfig: KernelConfig = {
  kernelName: 'AvgPool2dBackward',
  backendName: 'cpu',
  kernelFunc: ([dy], attrs) => {
    const xShape = shapeAttr(attrs, 'xShape');
    const info = computePool2dInfo(xShape, geometryAttrs(attrs), 'AvgPool2d');
    const dx = empty(xShape, dy.dtype);
    avgPool2dBackward(dy.data, info, attrs.countIncludePad !== false, dx.data);
    return [dx];
  },
};
