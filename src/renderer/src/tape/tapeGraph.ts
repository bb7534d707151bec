import type { TapeExport, TapeOp, TapeTensor } from '../../../shared/api/tape';

/** Box sizes the layout reserves (the views are drawn to fit them). */
export const OP_BOX = { width: 200, height: 128 };
export const LEAF_BOX = { width: 200, height: 112 };

/** An op of the tape, or a tensor it reads that no op of the view wrote (a parameter, the batch, another node's output). */
export type TapeBox =
  | { readonly kind: 'op'; readonly id: string; readonly op: TapeOp; readonly output: TapeTensor | undefined }
  | { readonly kind: 'leaf'; readonly id: string; readonly tensor: TapeTensor };

export interface TapeWire {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** The input position at the consuming op (an op reading one tensor twice has two wires). */
  readonly position: number;
  readonly tensor: TapeTensor | undefined;
}

/**
 * The boxes and wires of the op-level graph: one box per op, one per tensor read from outside the
 * ops shown, and a wire from whatever wrote each op input to the op, in the tape's order.
 *
 * @example
 * tapeGraph(tape).boxes.map((b) => b.id); // ['t-3', 't-5', 'op-12', 't-6', 'op-13']
 */
export function tapeGraph(tape: TapeExport): { boxes: TapeBox[]; wires: TapeWire[] } {
  const tensors = new Map(tape.tensors.map((t) => [t.id, t]));
  const shownOps = new Set(tape.ops.map((o) => o.id));
  const boxes: TapeBox[] = [];
  const wires: TapeWire[] = [];
  const leaves = new Set<number>();
  const sourceOf = (id: number): string => {
    const t = tensors.get(id);
    if (t?.producer != null && shownOps.has(t.producer)) return `op-${t.producer}`;
    if (!leaves.has(id)) {
      leaves.add(id);
      if (t) boxes.push({ kind: 'leaf', id: `t-${id}`, tensor: t });
    }
    return `t-${id}`;
  };
  for (const op of tape.ops) {
    op.inputs.forEach((tid, position) => {
      const source = sourceOf(tid);
      wires.push({ id: `w-${op.id}-${position}`, source, target: `op-${op.id}`, position, tensor: tensors.get(tid) });
    });
    boxes.push({ kind: 'op', id: `op-${op.id}`, op, output: tensors.get(op.outputs[0]) });
  }
  // A wire from a tensor whose summary did not come (disposed) has no box to start from.
  const ids = new Set(boxes.map((b) => b.id));
  return { boxes, wires: wires.filter((w) => ids.has(w.source)) };
}

/** How an op reads in the view: the kernel's name and the attributes that change what it computes. */
export function opCaption(op: TapeOp): string {
  const flags = Object.entries(op.attrs)
    .filter(([, v]) => v !== false)
    .map(([k, v]) => (v === true ? k : `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`));
  return flags.length > 0 ? `${op.kernel}(${flags.join(', ')})` : op.kernel;
}
