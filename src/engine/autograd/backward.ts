import type { Tensor } from '../tensor/tensor';
import { keep } from '../tensor/scope';
import { empty } from '../tensor/create';
import { shapeToString, shapesEqual } from '../tensor/shape';
import { getGradient } from './gradRegistry';
import { noGrad } from './gradMode';
import type { TapeRecord } from './tape';
import { collectTape } from './tape';
import { accumulateF32Simd, UPDATE_SIMD_MIN } from '../kernels/wasm/optimF32Simd';

export interface BackwardOptions {
  /**
   * Write `.grad` (default true): leaves that require grad, and intermediates that called
   * retainGrad(). grad() passes false and touches no `.grad` at all (as torch.autograd.grad).
   */
  accumulateLeaves?: boolean;
}

/**
 * Reverse-mode differentiation, one tape record at a time. backward() runs it to the end;
 * the step session of the graph drives it with next() to show gradients node by node.
 */
export class BackwardPass {
  /** Records still to process, last executed first. */
  private readonly pending: TapeRecord[];
  private readonly grads = new Map<number, Tensor>();
  private readonly accumulateLeaves: boolean;
  /**
   * Retained non-leaf tensors whose gradient is not complete yet, with the number of records
   * still pending that consume them (each record counted once, however many times it reads the
   * tensor). At zero the gradient is final and is delivered to `.grad`, exactly once.
   */
  private readonly waiting = new Map<number, { tensor: Tensor; consumers: number }>();

  constructor(roots: readonly Tensor[], gradOutputs?: readonly (Tensor | undefined)[], opts: BackwardOptions = {}) {
    this.accumulateLeaves = opts.accumulateLeaves ?? true;
    for (let i = 0; i < roots.length; i++) {
      const r = roots[i];
      if (!r.requiresGrad) {
        throw new Error(
          `backward(): output ${i} ${shapeToString(r.shape)} does not require grad (was it computed under noGrad, or from inputs without requiresGrad?).`,
        );
      }
      let g = gradOutputs?.[i];
      if (g === undefined) {
        if (r.size !== 1) {
          throw new Error(
            `backward(): output ${i} has shape ${shapeToString(r.shape)}; pass the output gradient explicitly for a non-scalar output.`,
          );
        }
        g = empty(r.shape, r.dtype);
        g.data[0] = 1;
      } else if (!shapesEqual(g.shape, r.shape) || g.dtype !== r.dtype) {
        throw new Error(
          `backward(): gradient ${shapeToString(g.shape)} ${g.dtype} does not match output ${shapeToString(r.shape)} ${r.dtype}.`,
        );
      }
      this.addGrad(r, g);
    }
    this.pending = collectTape(roots);
    if (this.accumulateLeaves) {
      for (let r = 0; r < this.pending.length; r++) {
        const ins = this.pending[r].inputs;
        for (let i = 0; i < ins.length; i++) {
          const inp = ins[i];
          if (inp.creator === null || !inp.retainsGrad || !inp.requiresGrad || ins.indexOf(inp) < i) continue;
          const w = this.waiting.get(inp.id);
          if (w === undefined) this.waiting.set(inp.id, { tensor: inp, consumers: 1 });
          else w.consumers++;
        }
      }
    }
    // Leaf roots get their seed now (later contributions arrive one by one); a retained root
    // with no consumer on the tape is already final, otherwise it waits for its consumers.
    for (let i = 0; i < roots.length; i++) {
      const r = roots[i];
      if (roots.indexOf(r) < i) continue;
      if (r.creator === null) this.deliverLeaf(r, this.grads.get(r.id) as Tensor);
      else if (r.retainsGrad && this.accumulateLeaves && !this.waiting.has(r.id)) this.deliver(r);
    }
  }

  /** Whether records remain. */
  get done(): boolean {
    return this.pending.length === 0;
  }

  /** The record next() will process, or undefined. */
  peek(): TapeRecord | undefined {
    return this.pending[this.pending.length - 1];
  }

  /** The gradient accumulated so far for a tensor on the tape. */
  gradOf(t: Tensor): Tensor | undefined {
    return this.grads.get(t.id);
  }

  /** Processes one record (its outputs' gradients are complete); returns it, or null when done. */
  next(): TapeRecord | null {
    const rec = this.pending.pop();
    if (rec === undefined) return null;
    this.backpropagate(rec);
    // NOTE: a retained tensor's gradient is final only once *every* record consuming it has run,
    // which is not the same as "the next record is its creator": unrelated records or other
    // consumers may lie in between, and a record may read it twice (mul(a, a)).
    if (this.waiting.size > 0) this.releaseConsumed(rec);
    return rec;
  }

  /** Runs every remaining record. */
  run(): void {
    while (this.next() !== null);
  }

  /** One consumer fewer for each retained input of `rec`; delivers those that are now final. */
  private releaseConsumed(rec: TapeRecord): void {
    for (const inp of new Set(rec.inputs)) {
      const w = this.waiting.get(inp.id);
      if (w === undefined || --w.consumers > 0) continue;
      this.waiting.delete(inp.id);
      this.deliver(w.tensor);
    }
  }

  /** Adds the contributions of `rec` to its inputs' gradients (leaves accumulate at once). */
  private backpropagate(rec: TapeRecord): void {
    const outs = rec.outputs;
    let any = false;
    for (let i = 0; i < outs.length; i++) if (this.grads.has(outs[i].id)) any = true;
    if (!any) return;
    const dys = new Array<Tensor>(outs.length);
    for (let i = 0; i < outs.length; i++) dys[i] = this.grads.get(outs[i].id) ?? zerosOf(outs[i]);
    const cfg = getGradient(rec.kernelName);
    if (cfg === undefined) throw new Error(`No gradient registered for kernel "${rec.kernelName}".`);
    const gs = noGrad(() => cfg.gradFunc(dys, rec.saved));
    const ins = rec.inputs;
    for (let i = 0; i < ins.length; i++) {
      const inp = ins[i];
      const g = gs[i];
      if (!inp.requiresGrad || g === null || g === undefined) continue;
      if (!shapesEqual(g.shape, inp.shape)) {
        throw new Error(
          `Gradient of ${rec.kernelName} input ${i} has shape ${shapeToString(g.shape)}, expected ${shapeToString(inp.shape)} (bug in its gradient function).`,
        );
      }
      this.addGrad(inp, g);
      if (inp.creator === null) this.deliverLeaf(inp, g);
    }
  }

  private addGrad(t: Tensor, g: Tensor): void {
    const prev = this.grads.get(t.id);
    if (prev === undefined) {
      this.grads.set(t.id, g);
      return;
    }
    const sum = empty(prev.shape, prev.dtype);
    const a = prev.data;
    const b = g.data;
    const s = sum.data;
    for (let i = 0; i < sum.size; i++) s[i] = a[i] + b[i];
    this.grads.set(t.id, sum);
  }

  /** Leaves accumulate each contribution as it arrives (torch AccumulateGrad). */
  private deliverLeaf(t: Tensor, g: Tensor): void {
    if (!this.accumulateLeaves || !t.requiresGrad) return;
    accumulateInto(t, g);
  }

  /** A retained non-leaf's gradient, once complete (torch's retain_grad hook). */
  private deliver(t: Tensor): void {
    const g = this.grads.get(t.id);
    if (g !== undefined) accumulateInto(t, g);
  }
}

function zerosOf(t: Tensor): Tensor {
  const z = empty(t.shape, t.dtype);
  z.data.fill(0);
  return z;
}

/** t.grad += g, creating t.grad (kept out of scopes: it lives as long as t) on first use. */
function accumulateInto(t: Tensor, g: Tensor): void {
  if (t.grad === null || t.grad.isDisposed) {
    const copy = empty(t.shape, t.dtype);
    copy.data.set(g.data.subarray(0, g.size));
    t.grad = keep(copy);
    return;
  }
  const d = t.grad.data;
  const s = g.data;
  // float32: WebAssembly SIMD (the same float32 sums, ~10× faster on a layer's weights).
  if (t.size >= UPDATE_SIMD_MIN && d instanceof Float32Array && s instanceof Float32Array) {
    if (accumulateF32Simd(d, s, t.size)) return;
  }
  for (let i = 0; i < t.size; i++) d[i] += s[i];
}

/**
 * Backpropagates from `root`: every leaf with requiresGrad gets `.grad += ∂root/∂leaf`.
 * `root` must be a one-element tensor unless `gradOutput` (∂L/∂root) is given.
 *
 * @example
 * const loss = mean(square(sub(matmul(x, w), y)));
 * backward(loss);          // w.grad now holds ∂loss/∂w (accumulated)
 */
export function backward(root: Tensor, gradOutput?: Tensor): void {
  new BackwardPass([root], gradOutput === undefined ? undefined : [gradOutput]).run();
}

/**
 * The gradients of `outputs` with respect to `inputs` (torch.autograd.grad), without touching
 * any `.grad`. An input the outputs do not depend on gets zeros.
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  gradOutputs?: readonly (Tensor | undefined)[],
): Tensor[] {
  const roots = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  const pass = new BackwardPass(roots, gradOutputs, { accumulateLeaves: false });
  pass.run();
  return inputs.map((t) => pass.gradOf(t) ?? zerosOf(t));
}
