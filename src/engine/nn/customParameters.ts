import { randUniform, zeros } from '../tensor/create';
import type { DType } from '../tensor/dtype';
import type { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';
import { Module } from './module';

/**
 * The learnable parameters a custom node's code declares, by its own names (`c1.w`, `c1.b`).
 * A parameter of rank ≥ 2 starts uniform in ±1/√(its first size), as a Linear's weight stored
 * input-major (x @ w), so a matmul keeps the scale of its input; a vector or a number starts at 0.
 *
 * @example
 * const p = new CustomParameters({ w: [4, 2], b: [2] }, new Rng(0));
 * p.get('w').shape; // [4, 2]
 */
export class CustomParameters extends Module {
  private readonly byName = new Map<string, Tensor>();

  constructor(shapes: Readonly<Record<string, readonly number[]>>, rng: Rng, opts: { dtype?: DType } = {}) {
    super();
    const dtype = opts.dtype ?? 'float32';
    for (const [name, shape] of Object.entries(shapes)) {
      const bound = shape.length >= 2 ? 1 / Math.sqrt(shape[0]) : 0;
      const t =
        shape.length >= 2 ? randUniform([...shape], -bound, bound, rng, { dtype }) : zeros([...shape], { dtype });
      this.byName.set(name, this.registerParameter(name, t));
    }
  }

  get(name: string): Tensor {
    const t = this.byName.get(name);
    if (!t) throw new Error(`The custom node has no parameter "${name}".`);
    return t;
  }

  /** Every parameter by its declared name. */
  all(): Record<string, Tensor> {
    return Object.fromEntries(this.byName);
  }
}
