import type { KernelConfig } from './registry';
import type { TypedArray } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import { broadcastShapes, shapeToString, shapesEqual, sizeOf } from '../tensor/shape';
import { empty } from '../tensor/create';
import { broadcastIndex, broadcastMode } from './broadcast';

/** Repeats x along broadcast axes to fill `outShape`. */
export function broadcastToImpl(x: TypedArray, shape: Shape, out: TypedArray, outShape: Shape): void {
  const n = sizeOf(outShape);
  const mode = broadcastMode(shape, outShape);
  if (mode === 'same') for (let i = 0; i < n; i++) out[i] = x[i];
  else if (mode === 'scalar') out.fill(x[0], 0, n);
  else if (mode === 'suffix') {
    const m = sizeOf(shape);
    for (let r = 0; r < n; r += m) for (let j = 0; j < m; j++) out[r + j] = x[j];
  } else {
    const idx = broadcastIndex(shape, outShape, new Int32Array(n));
    for (let i = 0; i < n; i++) out[i] = x[idx[i]];
  }
}

/** Naive twin (tests only). */
export function broadcastToNaive(x: ArrayLike<number>, shape: Shape, outShape: Shape): number[] {
  const idx = broadcastIndex(shape, outShape, new Int32Array(sizeOf(outShape)));
  return Array.from(idx, (i) => x[i]);
}

export const broadcastToConfig: KernelConfig = {
  kernelName: 'BroadcastTo',
  backendName: 'cpu',
  kernelFunc: ([x], attrs) => {
    const shape = attrs.shape as number[];
    if (!shapesEqual(broadcastShapes(x.shape, shape), shape)) {
      throw new Error(`broadcastTo: ${shapeToString(x.shape)} cannot be broadcast to ${shapeToString(shape)}.`);
    }
    const out = empty(shape, x.dtype);
    broadcastToImpl(x.data, x.shape, out.data, shape);
    return [out];
  },
};
