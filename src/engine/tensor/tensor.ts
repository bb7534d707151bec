import type { DType, TypedArray } from './dtype';
import type { Shape } from './shape';
import { checkedSizeOf, shapeToString, sizeOf, stridesOf } from './shape';
import type { Storage } from './storage';
import { keep, trackTensor } from './scope';

let nextId = 1;

/** The autograd record that produced a tensor (defined in autograd; opaque here). */
export interface CreatorRecord {
  readonly id: number;
  readonly kernelName: string;
}

/**
 * An n-dimensional array: a shape and one contiguous row-major typed array from the allocator.
 * Create tensors with the functions in `tensor/create` and transform them with `ops/*`.
 */
export class Tensor {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** Whether gradients flow to this tensor. Leaves with requiresGrad receive `.grad` in backward(). */
  requiresGrad: boolean;
  /** The accumulated gradient (same shape and dtype), or null before the first backward(). */
  grad: Tensor | null = null;
  /** Set by autograd on tensors produced by a recorded op. */
  creator: CreatorRecord | null = null;
  /** Non-leaf tensors keep their gradient in `.grad` only when asked (torch `retain_grad`). */
  retainsGrad = false;
  /** Optional label (module parameters carry their dotted name). */
  name: string | undefined;
  private readonly storage: Storage;
  private disposed = false;

  /** Low level: prefer `tensor()`, `zeros()`, … . Takes a reference on `storage`. */
  constructor(shape: Shape, storage: Storage, requiresGrad = false) {
    const size = checkedSizeOf(shape);
    const data = storage.data;
    if (data === null) throw new Error('Cannot create a tensor on freed storage.');
    if (data.length < size) {
      throw new Error(`Storage of ${data.length} elements is too small for shape ${shapeToString(shape)}.`);
    }
    this.id = nextId++;
    // NOTE: a plain copy, not frozen (the type says readonly): frozen shapes mixed with the plain
    // arrays kernels compute made every shape access polymorphic, and freezing itself is slow;
    // the tiny MLP step was ~15% slower with them.
    this.shape = Array.isArray(shape) ? shape.slice() : Array.from(shape);
    this.dtype = storage.dtype;
    this.size = size;
    this.requiresGrad = requiresGrad;
    this.storage = storage;
    storage.retain();
    trackTensor(this);
  }

  /** The elements, row-major. Throws after dispose(). */
  get data(): TypedArray {
    const d = this.storage.data;
    if (this.disposed || d === null) {
      throw new Error(`Tensor #${this.id} ${shapeToString(this.shape)} was disposed and can no longer be read.`);
    }
    return d;
  }

  get rank(): number {
    return this.shape.length;
  }

  get strides(): number[] {
    return stridesOf(this.shape);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** True for tensors not produced by a recorded op. */
  get isLeaf(): boolean {
    return this.creator === null;
  }

  /** A new tensor sharing this one's storage with another shape of the same size (no copy). */
  view(shape: Shape): Tensor {
    if (sizeOf(shape) !== this.size) {
      throw new Error(`Cannot view a tensor of shape ${shapeToString(this.shape)} as ${shapeToString(shape)}.`);
    }
    if (this.disposed)
      throw new Error(`Tensor #${this.id} ${shapeToString(this.shape)} was disposed and can no longer be viewed.`);
    return new Tensor(shape, this.storage);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item() needs a one-element tensor, got shape ${shapeToString(this.shape)}.`);
    return this.data[0];
  }

  /** A plain copy of the elements (row-major). */
  toArray(): number[] {
    return Array.from(this.data.subarray(0, this.size));
  }

  /** Nested arrays following the shape (a number for a scalar). */
  toNested(): unknown {
    const d = this.data;
    const rec = (dim: number, off: number): unknown => {
      if (dim === this.shape.length) return d[off];
      const stride = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => rec(dim + 1, off + i * stride));
    };
    return rec(0, 0);
  }

  /** Marks this tensor as needing gradients (leaves only); returns this. */
  requireGrad(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }

  /** Asks backward() to store this non-leaf tensor's gradient in `.grad`. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /** Moves this tensor out of every open tidy scope; returns this. */
  keep(): this {
    return keep(this);
  }

  /** Returns the storage to the allocator (once no view uses it). Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.storage.release();
    this.creator = null;
    // A gradient belongs to its tensor (it is kept out of scopes), so it goes with it.
    this.grad?.dispose();
    this.grad = null;
  }

  toString(): string {
    return `Tensor(${shapeToString(this.shape)}, ${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }
}
