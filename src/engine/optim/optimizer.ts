import type { Tensor } from '../tensor/tensor';
import { shapeToString } from '../tensor/shape';

/** Optimizer state as plain data: options, step count and per-parameter buffers by index. */
export interface OptimizerState {
  type: string;
  options: Record<string, number | boolean>;
  steps: number;
  /** buffers[name][i] is the buffer `name` of parameter i (null when not yet created). */
  buffers: Record<string, (number[] | null)[]>;
}

/**
 * Optimizer state as copies of its typed arrays (options, step count, buffers), taken and put
 * back without conversions: time travel keeps one at each keyframe of a training run and
 * computes the steps after it again from there (host/workers/stepReplay.ts).
 */
export interface OptimizerSnapshot {
  readonly options: Record<string, number | boolean>;
  readonly steps: number;
  /** buffers.get(name)[i] is a copy of the buffer `name` of parameter i (null when not yet created). */
  readonly buffers: ReadonlyMap<string, readonly (Float32Array | Float64Array | null)[]>;
  /** The bytes of the buffers' values. */
  readonly bytes: number;
}

/** Base class: holds the parameters and named per-parameter buffers (Float32/64 by param dtype). */
export abstract class Optimizer {
  protected readonly params: readonly Tensor[];
  protected steps = 0;
  protected readonly buffers = new Map<string, (Float32Array | Float64Array | null)[]>();

  constructor(params: readonly Tensor[]) {
    if (params.length === 0) throw new Error('Optimizer: the parameter list is empty.');
    params.forEach((p, i) => {
      if (!p.requiresGrad)
        throw new Error(`Optimizer: parameter ${i} ${shapeToString(p.shape)} does not require grad.`);
    });
    this.params = [...params];
  }

  /** Applies one update to every parameter that has a gradient. */
  abstract step(): void;

  /** Options as plain data (for saving). */
  protected abstract options(): Record<string, number | boolean>;

  protected abstract get type(): string;

  /** Zeroes the gradients in place (torch 1.13 zero_grad(set_to_none=False)). */
  zeroGrad(): void {
    for (const p of this.params) if (p.grad !== null && !p.grad.isDisposed) p.grad.data.fill(0);
  }

  protected buffer(name: string, i: number, create: boolean): Float32Array | Float64Array | null {
    let list = this.buffers.get(name);
    if (list === undefined) {
      list = this.params.map(() => null);
      this.buffers.set(name, list);
    }
    if (list[i] === null && create) {
      const p = this.params[i];
      list[i] = p.dtype === 'float32' ? new Float32Array(p.size) : new Float64Array(p.size);
    }
    return list[i];
  }

  stateDict(): OptimizerState {
    const buffers: Record<string, (number[] | null)[]> = {};
    for (const [name, list] of this.buffers) buffers[name] = list.map((b) => (b === null ? null : Array.from(b)));
    return { type: this.type, options: this.options(), steps: this.steps, buffers };
  }

  /**
   * Copies the state aside; the arrays of `reuse` (an earlier snapshot of this optimizer) are
   * written where they fit, so a caller that hands its old snapshots back allocates nothing.
   */
  snapshot(reuse?: OptimizerSnapshot): OptimizerSnapshot {
    const buffers = new Map<string, (Float32Array | Float64Array | null)[]>();
    let bytes = 0;
    for (const [name, list] of this.buffers) {
      const old = reuse?.buffers.get(name);
      buffers.set(
        name,
        list.map((b, i) => {
          if (b === null) return null;
          bytes += b.byteLength;
          const o = old?.[i];
          if (o == null || o.length !== b.length || o instanceof Float64Array !== b instanceof Float64Array)
            return b.slice();
          o.set(b);
          return o;
        }),
      );
    }
    return { options: this.options(), steps: this.steps, buffers, bytes };
  }

  /**
   * Puts back a state `snapshot` took of this optimizer (its values are copied in: the snapshot
   * stays as it is when the optimizer steps on); a buffer it did not have yet is dropped again.
   */
  restore(s: OptimizerSnapshot): void {
    for (const [name, list] of this.buffers) {
      const saved = s.buffers.get(name);
      list.forEach((b, i) => {
        const v = saved?.[i] ?? null;
        if (v === null) list[i] = null;
        else if (b !== null && b.length === v.length && b instanceof Float64Array === v instanceof Float64Array)
          b.set(v);
        else list[i] = v.slice();
      });
    }
    for (const [name, saved] of s.buffers)
      if (!this.buffers.has(name))
        this.buffers.set(
          name,
          saved.map((v) => (v === null ? null : v.slice())),
        );
    this.steps = s.steps;
    this.setOptions(s.options);
  }

  /** Restores a state saved by stateDict() for the same parameter list. */
  loadStateDict(state: OptimizerState): void {
    if (state.type !== this.type)
      throw new Error(`loadStateDict: state is for ${state.type}, this optimizer is ${this.type}.`);
    const restored = new Map<string, (Float32Array | Float64Array | null)[]>();
    for (const [name, list] of Object.entries(state.buffers)) {
      if (list.length !== this.params.length)
        throw new Error(
          `loadStateDict: buffer "${name}" has ${list.length} entries for ${this.params.length} parameters.`,
        );
      restored.set(
        name,
        list.map((b, i) => {
          if (b === null) return null;
          const p = this.params[i];
          if (b.length !== p.size)
            throw new Error(
              `loadStateDict: buffer "${name}" of parameter ${i} has ${b.length} values, expected ${p.size}.`,
            );
          return p.dtype === 'float32' ? Float32Array.from(b) : Float64Array.from(b);
        }),
      );
    }
    this.buffers.clear();
    for (const [k, v] of restored) this.buffers.set(k, v);
    this.steps = state.steps;
    this.setOptions(state.options);
  }

  protected abstract setOptions(o: Record<string, number | boolean>): void;
}
