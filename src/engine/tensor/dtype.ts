/** Element types supported end to end. float64 exists so gradients can be checked in double precision. */
export type DType = 'float32' | 'float64';

/** The storage type of a tensor: one contiguous, row-major typed array. */
export type TypedArray = Float32Array | Float64Array;

export function isDType(x: unknown): x is DType {
  return x === 'float32' || x === 'float64';
}

export function bytesPerElement(dtype: DType): number {
  return dtype === 'float32' ? 4 : 8;
}
