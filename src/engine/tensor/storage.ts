import type { DType, TypedArray } from './dtype';
import { getAllocator } from './allocator';

/**
 * A block of memory from the allocator, shared by tensors that are views of each other
 * (reshape, detach). Freed when the last tensor using it is disposed.
 */
export class Storage {
  private refs = 0;
  private arr: TypedArray | null;

  constructor(
    readonly dtype: DType,
    data: TypedArray,
    /** False for arrays the engine did not allocate (never returned to the pool). */
    private readonly owned: boolean,
  ) {
    this.arr = data;
  }

  static allocate(dtype: DType, size: number): Storage {
    return new Storage(dtype, getAllocator().alloc(dtype, size), true);
  }

  get data(): TypedArray | null {
    return this.arr;
  }

  retain(): void {
    this.refs++;
  }

  release(): void {
    this.refs--;
    if (this.refs <= 0 && this.arr !== null) {
      if (this.owned) getAllocator().free(this.arr);
      this.arr = null;
    }
  }
}
