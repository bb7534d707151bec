import type { Tensor } from '../tensor/tensor';
import { keep } from '../tensor/scope';
import { shapeToString } from '../tensor/shape';

/** Parameters (and buffers) by PyTorch dotted name, as plain row-major number arrays. */
export type StateDict = Record<string, number[]>;

/**
 * Base class of layers (torch.nn.Module): parameters and sub-modules are registered by name,
 * so `namedParameters()` yields PyTorch names such as `0.weight` or `fc1.bias`.
 * Subclasses add a `forward(...)` method with their own signature.
 */
export class Module {
  /** True in training mode (dropout active, batch statistics used). */
  training = true;
  private readonly params = new Map<string, Tensor | null>();
  private readonly buffers = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  /**
   * Registers a parameter (kept out of tidy scopes; requiresGrad set). Returns it.
   *
   * @example
   * this.weight = this.registerParameter('weight', randUniform([out, inp], -b, b, rng));
   */
  registerParameter(name: string, t: Tensor | null): Tensor {
    checkName(name, this.params.has(name) || this.children.has(name) || this.buffers.has(name));
    if (t !== null) {
      keep(t);
      t.requiresGrad = true;
    }
    this.params.set(name, t);
    return t as Tensor;
  }

  /** Registers a non-trained tensor saved with the state (e.g. BatchNorm running statistics). */
  registerBuffer(name: string, t: Tensor): Tensor {
    checkName(name, this.params.has(name) || this.children.has(name) || this.buffers.has(name));
    keep(t);
    this.buffers.set(name, t);
    return t;
  }

  /** Registers a sub-module under `name` (its parameters become `name.…`). Returns it. */
  registerModule<M extends Module>(name: string, m: M): M {
    checkName(name, this.params.has(name) || this.children.has(name) || this.buffers.has(name));
    this.children.set(name, m);
    return m;
  }

  /** Direct sub-modules in registration order. */
  namedChildren(): [string, Module][] {
    return [...this.children.entries()];
  }

  /** (dotted name, parameter) pairs, depth first in registration order, each tensor once. */
  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const walk = (m: Module, pre: string): void => {
      for (const [n, p] of m.params) {
        if (p !== null && !seen.has(p)) {
          seen.add(p);
          out.push([pre + n, p]);
        }
      }
      for (const [n, c] of m.children) walk(c, `${pre}${n}.`);
    };
    walk(this, prefix === '' ? '' : `${prefix}.`);
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const walk = (m: Module, pre: string): void => {
      for (const [n, b] of m.buffers) out.push([pre + n, b]);
      for (const [n, c] of m.children) walk(c, `${pre}${n}.`);
    };
    walk(this, prefix === '' ? '' : `${prefix}.`);
    return out;
  }

  /** Zeroes every parameter's gradient in place (torch 1.13 zero_grad(set_to_none=False)). */
  zeroGrad(): void {
    for (const p of this.parameters()) if (p.grad !== null && !p.grad.isDisposed) p.grad.data.fill(0);
  }

  /** Sets training mode on this module and every sub-module; returns this. */
  train(mode = true): this {
    this.training = mode;
    for (const c of this.children.values()) c.train(mode);
    return this;
  }

  /** Evaluation mode (dropout off); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Parameters and buffers by dotted name as plain arrays (row-major), e.g. `{ 'fc1.weight': [...] }`. */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [n, p] of [...this.namedParameters(), ...this.namedBuffers()]) out[n] = p.toArray();
    return out;
  }

  /**
   * Copies values into parameters and buffers by name. Values are flat or nested arrays
   * (row-major). With `strict` (default) missing or unexpected names are errors.
   */
  loadStateDict(dict: Readonly<Record<string, unknown>>, strict = true): void {
    const targets = new Map([...this.namedParameters(), ...this.namedBuffers()]);
    if (strict) {
      const missing = [...targets.keys()].filter((k) => !(k in dict));
      const unexpected = Object.keys(dict).filter((k) => !targets.has(k));
      if (missing.length > 0 || unexpected.length > 0) {
        throw new Error(
          `loadStateDict: ${missing.length > 0 ? `missing ${missing.join(', ')}` : ''}${missing.length > 0 && unexpected.length > 0 ? '; ' : ''}${unexpected.length > 0 ? `unexpected ${unexpected.join(', ')}` : ''}.`,
        );
      }
    }
    // Validate everything before writing anything, so a bad dict leaves the model unchanged.
    const writes: [Tensor, number[]][] = [];
    for (const [name, t] of targets) {
      if (!(name in dict)) continue;
      const raw = dict[name];
      const flat = Array.isArray(raw) ? (raw.flat(Infinity) as unknown[]) : null;
      if (flat === null || flat.length !== t.size || flat.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        throw new Error(
          `loadStateDict: "${name}" must be ${t.size} finite numbers for shape ${shapeToString(t.shape)}.`,
        );
      }
      writes.push([t, flat as number[]]);
    }
    for (const [t, vals] of writes) t.data.set(vals);
  }
}

function checkName(name: string, taken: boolean): void {
  if (name === '' || name.includes('.'))
    throw new Error(`Invalid module member name "${name}": it must be non-empty and contain no dot.`);
  if (taken) throw new Error(`Module member "${name}" is already registered.`);
}
