import type { Conv2dInfo, Floats } from './convInfo';
import type { KernelConfig } from './registry';
import { empty } from '../tensor/create';
import { computePool2dInfo, geometryAttrs } from './convInfo';
import { sameDType } from './kernelUtil';
import { maxPool2x2BackwardF32Simd, maxPool2x2F32Simd } from './wasm/maxPoolF32Simd';

/**
 * MaxPool2d forward, NCHW (torch.nn.functional.max_pool2d, ceil_mode=False). Padding counts as
 * −∞, so a window never picks it. x [N, C, H, W] → out [N, C, outH, outW].
 *
 * NOTE: ties go to the first maximum in row-major window order and a NaN wins over any number —
 * exactly PyTorch's `val > max || isnan(val)` — so the backward kernel routes the gradient to
 * the same element PyTorch does.
 */
export function maxPool2d(x: Floats, info: Conv2dInfo, out: Floats): void {
  // float32, 2×2 windows at stride 2: WebAssembly SIMD, the same winners (wasm/maxPoolF32Simd.ts).
  if (x instanceof Float32Array && out instanceof Float32Array && maxPool2x2F32Simd(x, info, out)) return;
  maxPool2dJs(x, info, out);
}

/** The JS forward kernel: float64, other windows, no SIMD; the twin the SIMD kernel is tested against. */
export function maxPool2dJs(x: Floats, info: Conv2dInfo, out: Floats): void {
  windowMax(x, info, FORWARD, out, out);
}

/**
 * Gradient of maxPool2d: each output gradient goes to the input element that won its window
 * (recomputed from x, so no index buffer is stored). dx [N, C, H, W] is overwritten.
 */
export function maxPool2dBackward(dy: Floats, x: Floats, info: Conv2dInfo, dx: Floats): void {
  if (
    dy instanceof Float32Array &&
    x instanceof Float32Array &&
    dx instanceof Float32Array &&
    maxPool2x2BackwardF32Simd(dy, x, info, dx)
  )
    return;
  maxPool2dBackwardJs(dy, x, info, dx);
}

/** The JS backward kernel: float64, other windows, no SIMD; the twin the SIMD kernel is tested against. */
export function maxPool2dBackwardJs(dy: Floats, x: Floats, info: Conv2dInfo, dx: Floats): void {
  dx.fill(0);
  windowMax(x, info, BACKWARD, dy, dx);
}

/**
 * The adjoint of maxPool2dBackward in its gradient argument: out[o] = g[winner of window o],
 * i.e. g read at the positions max pooling of x selects. out [N, C, outH, outW] is overwritten.
 */
export function maxPool2dSelect(g: Floats, x: Floats, info: Conv2dInfo, out: Floats): void {
  windowMax(x, info, SELECT, g, out);
}

const FORWARD = 0;
const BACKWARD = 1;
const SELECT = 2;

/**
 * Finds every window's winner and, by `mode`: FORWARD out[o] = max; BACKWARD dst[winner] += src[o];
 * SELECT dst[o] = src[winner].
 */
function windowMax(x: Floats, info: Conv2dInfo, mode: number, src: Floats, dst: Floats): void {
  if (
    info.kernelHeight === 2 &&
    info.kernelWidth === 2 &&
    info.padHeight === 0 &&
    info.padWidth === 0 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1
  ) {
    windowMax2x2(x, info, mode, src, dst);
    return;
  }
  const { inHeight: H, inWidth: W, kernelHeight: kH, kernelWidth: kW, outHeight: oH, outWidth: oW } = info;
  const { strideHeight: sH, strideWidth: sW, padHeight: pH, padWidth: pW } = info;
  const { dilationHeight: dH, dilationWidth: dW } = info;
  const planes = info.batch * info.inChannels;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const xOff = p * H * W;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = oh * sH - pH;
      // In-bounds kernel taps: all of them away from the border, else the clipped range.
      const k0 = h0 >= 0 ? 0 : Math.ceil(-h0 / dH);
      const k1 = h0 + (kH - 1) * dH < H ? kH : Math.min(kH, Math.ceil((H - h0) / dH));
      for (let ow = 0; ow < oW; ow++) {
        const w0 = ow * sW - pW;
        const j0 = w0 >= 0 ? 0 : Math.ceil(-w0 / dW);
        const j1 = w0 + (kW - 1) * dW < W ? kW : Math.min(kW, Math.ceil((W - w0) / dW));
        let best = -Infinity;
        let bestIndex = -1;
        search: for (let ki = k0; ki < k1; ki++) {
          const row = xOff + (h0 + ki * dH) * W + w0;
          for (let kj = j0; kj < j1; kj++) {
            const idx = row + kj * dW;
            const v = x[idx];
            if (v > best) {
              best = v;
              bestIndex = idx;
            } else if (v !== v) {
              best = v;
              bestIndex = idx;
              break search;
            }
          }
        }
        if (mode === FORWARD) dst[o] = best;
        else if (mode === BACKWARD) {
          if (bestIndex >= 0) dst[bestIndex] += src[o];
        } else dst[o] = bestIndex >= 0 ? src[bestIndex] : 0;
        o++;
      }
    }
  }
}

/**
 * {@link windowMax} for the course's pooling, 2×2 windows without padding or dilation (any
 * stride): every window lies inside the input, so there is no clipping to compute, and the four
 * taps are compared in the same order with the same rule (ties to the first, the first NaN wins),
 * so the winners are the general loop's. About 3× faster on the conv net's activations.
 */
function windowMax2x2(x: Floats, info: Conv2dInfo, mode: number, src: Floats, dst: Floats): void {
  const { inHeight: H, inWidth: W, outHeight: oH, outWidth: oW, strideHeight: sH, strideWidth: sW } = info;
  const planes = info.batch * info.inChannels;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const xOff = p * H * W;
    for (let oh = 0; oh < oH; oh++) {
      let i = xOff + oh * sH * W;
      for (let ow = 0; ow < oW; ow++, i += sW, o++) {
        // Flags and index arithmetic instead of branches: pooled activations are noise to a
        // branch predictor.
        let at = i;
        let best = x[at];
        at += wins(x[i + 1], best) * (i + 1 - at);
        best = x[at];
        at += wins(x[i + W], best) * (i + W - at);
        best = x[at];
        at += wins(x[i + W + 1], best) * (i + W + 1 - at);
        best = x[at];
        // -Infinity everywhere: the general loop finds no winner (nothing is greater than its start).
        if (best === -Infinity) at = -1;
        if (mode === FORWARD) dst[o] = best;
        else if (mode === BACKWARD) {
          if (at >= 0) dst[at] += src[o];
        } else dst[o] = at >= 0 ? src[at] : 0;
      }
    }
  }
}

/**
 * 1 when tap value v replaces the best so far, else 0: v is greater, or v is NaN and the best is
 * not (so the first NaN wins), as in PyTorch. Bitwise on 0/1, so no branch is taken.
 */
function wins(v: number, best: number): number {
  return +(v > best) | (+(v !== v) & +(best === best));
}

/** Naive twin of {@link maxPool2d}, for tests only. */
export function maxPool2dNaive(x: Floats, info: Conv2dInfo, out: Floats): void {
  naiveWindows(x, info, (o, i, v) => {
    out[o] = v;
    return i;
  });
}

/** Naive twin of {@link maxPool2dBackward}, for tests only. */
export function maxPool2dBackwardNaive(dy: Floats, x: Floats, info: Conv2dInfo, dx: Floats): void {
  dx.fill(0);
  naiveWindows(x, info, (o, i) => {
    if (i >= 0) dx[i] += dy[o];
    return i;
  });
}

function naiveWindows(x: Floats, info: Conv2dInfo, visit: (o: number, i: number, v: number) => void): void {
  const { batch, inChannels: C, inHeight: H, inWidth: W } = info;
  for (let n = 0; n < batch; n++)
    for (let c = 0; c < C; c++)
      for (let oh = 0; oh < info.outHeight; oh++)
        for (let ow = 0; ow < info.outWidth; ow++) {
          let best = -Infinity;
          let bestIndex = -1;
          for (let ki = 0; ki < info.kernelHeight; ki++)
            for (let kj = 0; kj < info.kernelWidth; kj++) {
              const ih = oh * info.strideHeight - info.padHeight + ki * info.dilationHeight;
              const iw = ow * info.strideWidth - info.padWidth + kj * info.dilationWidth;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              const idx = ((n * C + c) * H + ih) * W + iw;
              if (Number.isNaN(best)) continue;
              if (x[idx] > best || Number.isNaN(x[idx])) {
                best = x[idx];
                bestIndex = idx;
              }
            }
          visit(((n * C + c) * info.outHeight + oh) * info.outWidth + ow, bestIndex, best);
        }
}

/** Kernel "MaxPool2d": input [x]; attrs {kernelSize, stride, padding, dilation} as [h, w] pairs. */
export const maxPool2dConfig: KernelConfig = {
  kernelName: 'MaxPool2d',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const info = computePool2dInfo(x.shape, geometryAttrs(attrs), 'MaxPool2d');
    const out = empty([info.batch, info.inChannels, info.outHeight, info.outWidth], x.dtype);
    maxPool2d(x.data, info, out.data);
    return [out];
  },
};

/** Kernel "MaxPool2dBackward": inputs [dy, x]; same attrs as MaxPool2d. */
export const maxPool2dBackwardConfig: KernelConfig = {
  kernelName: 'MaxPool2dBackward',
  backendName: 'cpu',
  kernelFunc: (inputs, attrs) => {
    const [dy, x] = inputs;
    sameDType('MaxPool2dBackward', inputs);
    const info = computePool2dInfo(x.shape, geometryAttrs(attrs), 'MaxPool2d');
    const dx = empty(x.shape, x.dtype);
    maxPool2dBackward(dy.data, x.data, info, dx.data);
    return [dx];
  },
};

/** Kernel "MaxPool2dSelect": inputs [g, x] (both [N, C, H, W]); same attrs as MaxPool2d. */
export const maxPool2dSelectConfig: KernelConfig = {
  kernelName: 'MaxPool2dSelect',
  backendName: 'cpu',
  kernelFunc: (inputs, attrs) => {
    const [g, x] = inputs;
    sameDType('MaxPool2dSelect', inputs);
    const info = computePool2dInfo(x.shape, geometryAttrs(attrs), 'MaxPool2d');
    const out = empty([info.batch, info.inChannels, info.outHeight, info.outWidth], x.dtype);
    maxPool2dSelect(g.data, x.data, info, out.data);
    return [out];
  },
};
