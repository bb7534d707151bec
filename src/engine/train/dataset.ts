import type { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import { empty } from '../tensor/create';

/**
 * A data set held as plain arrays: n samples, each with `featureShape` features (row-major in
 * `x`) and a target in `y` (a class index 0..numClasses−1 for classification, or real values
 * of `targetShape` for regression).
 */
export interface Dataset {
  name: string;
  task: 'classification' | 'regression';
  n: number;
  featureShape: number[];
  x: Float64Array;
  targetShape: number[];
  y: Float64Array;
  /** Classification only. */
  numClasses?: number;
  /** Optional feature names (CSV header). */
  featureNames?: string[];
}

export function featureSize(ds: Dataset): number {
  return ds.featureShape.reduce((a, b) => a * b, 1);
}

export function targetSize(ds: Dataset): number {
  return ds.targetShape.reduce((a, b) => a * b, 1);
}

/** The samples at `indices`, in that order, as a new data set. */
export function subset(ds: Dataset, indices: ArrayLike<number>, name = ds.name): Dataset {
  const f = featureSize(ds);
  const t = targetSize(ds);
  const x = new Float64Array(indices.length * f);
  const y = new Float64Array(indices.length * t);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= ds.n)
      throw new Error(`subset: index ${k} is out of range for ${ds.n} samples.`);
    x.set(ds.x.subarray(k * f, k * f + f), i * f);
    y.set(ds.y.subarray(k * t, k * t + t), i * t);
  }
  return { ...ds, name, n: indices.length, x, y };
}

/**
 * Features and targets of the samples at `indices` (all when omitted) as tensors:
 * x [m, ...featureShape], y [m, ...targetShape] (class indices stored as numbers).
 */
export function toTensors(
  ds: Dataset,
  indices?: ArrayLike<number>,
  dtype: DType = 'float32',
): { x: Tensor; y: Tensor } {
  const idx = indices ?? Array.from({ length: ds.n }, (_, i) => i);
  const f = featureSize(ds);
  const t = targetSize(ds);
  const x = empty([idx.length, ...ds.featureShape], dtype);
  const y = empty([idx.length, ...ds.targetShape], dtype);
  const xd = x.data;
  const yd = y.data;
  for (let i = 0; i < idx.length; i++) {
    const k = idx[i];
    for (let j = 0; j < f; j++) xd[i * f + j] = ds.x[k * f + j];
    for (let j = 0; j < t; j++) yd[i * t + j] = ds.y[k * t + j];
  }
  return { x, y };
}

/** Binary class labels 0/1 mapped to −1/+1 (for the hinge, logistic and perceptron losses). */
export function toPlusMinusOne(labels01: ArrayLike<number>): Float64Array {
  return Float64Array.from(labels01, (v) => {
    if (v !== 0 && v !== 1) throw new Error(`toPlusMinusOne: label ${v} is not 0 or 1.`);
    return 2 * v - 1;
  });
}
