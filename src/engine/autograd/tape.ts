import type { Attrs } from '../kernels/registry';
import type { Tensor } from '../tensor/tensor';

/** What a gradient function may read: the saved inputs/outputs (by position) and the attributes. */
export interface Saved {
  /** Inputs listed in the gradient's `inputsToSave` (others are undefined). */
  readonly inputs: readonly (Tensor | undefined)[];
  /** Outputs listed in the gradient's `outputsToSave` (others are undefined). */
  readonly outputs: readonly (Tensor | undefined)[];
  readonly attrs: Attrs;
  /** needsInputGrad[i]: whether input i requires a gradient (skip computing the others). */
  readonly needsInputGrad: readonly boolean[];
}

/**
 * One recorded kernel call. Records are linked through `Tensor.creator`; ids increase in
 * execution order, so sorting by id gives a topological order of the graph.
 */
export interface TapeRecord {
  readonly id: number;
  readonly kernelName: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly saved: Saved;
  readonly attrs: Attrs;
  /** collectTape's visit mark (the number of the walk that last reached this record). */
  mark: number;
}

let nextRecordId = 1;
let walks = 0;

export function newRecordId(): number {
  return nextRecordId++;
}

/**
 * The tape that produced `root`, in execution (forward) order: every record reachable
 * backwards from `root` through the inputs' creators. backward() walks it in reverse.
 */
export function collectTape(root: Tensor | readonly Tensor[]): TapeRecord[] {
  // NOTE: each walk has its own number, written on the records it reaches (no Set of ids).
  const walk = ++walks;
  const records: TapeRecord[] = [];
  const stack: Tensor[] = Array.isArray(root) ? [...(root as readonly Tensor[])] : [root as Tensor];
  while (stack.length > 0) {
    const t = stack.pop() as Tensor;
    const rec = t.creator as TapeRecord | null;
    if (rec === null || rec.mark === walk) continue;
    rec.mark = walk;
    records.push(rec);
    const ins = rec.inputs;
    for (let i = 0; i < ins.length; i++) if (ins[i].creator !== null) stack.push(ins[i]);
  }
  records.sort((a, b) => a.id - b.id);
  return records;
}
