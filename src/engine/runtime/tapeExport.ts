// The step session's autograd tape as plain data (the contract is src/shared/api/tape.ts): the
// records the engine made in the pass, with the values and gradients of the tensors they touched.
import type { TapeExport, TapeOp, TapeTensor } from '../../shared/api/tape';
import type { TapeRecord } from '../autograd/tape';
import type { Tensor } from '../tensor/tensor';
import type { StepSession } from './stepSession';
import { summarizeTensor } from './tensorSummary';

/** Preview values per tensor: enough for an op's glyph (80×40 pixels at most). */
export const TAPE_PREVIEW_VALUES = 256;
/**
 * A tape longer than this many ops sends previews of {@link LONG_TAPE_PREVIEW_VALUES} values: the
 * seq2seq-attention example's 277 ops (after a backward pass) took 3.7 MB with 256-value previews, 1.2 MB with 64.
 */
export const LONG_TAPE_OPS = 64;
export const LONG_TAPE_PREVIEW_VALUES = 64;
export const DEFAULT_MAX_OPS = 400;

type Attr = TapeOp['attrs'][string];

function plainAttrs(attrs: Readonly<Record<string, unknown>>): Record<string, Attr> {
  const out: Record<string, Attr> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && v.length <= 16 && v.every((x) => typeof x === 'number')) out[k] = [...(v as number[])];
  }
  return out;
}

/**
 * The ops the session's pass recorded: those of `nodeId`'s forward step, or the whole network's.
 * Each op is the engine's own record (its kernel, attributes and tensors), each tensor summarised
 * from the tensor the record holds, each gradient read from the session's backward pass: nothing
 * is recomputed or described per node type.
 *
 * @example
 * s.runForward();
 * exportTape(s, { nodeId: 'fc1' }).ops.map((o) => o.kernel); // ['MatMul', 'Add']
 */
export function exportTape(session: StepSession, opts: { nodeId?: string; maxOps?: number } = {}): TapeExport {
  const nodeId = opts.nodeId ?? null;
  const maxOps = opts.maxOps ?? DEFAULT_MAX_OPS;
  const empty = (note: string): TapeExport => ({ nodeId, ops: [], tensors: [], omitted: 0, nextBackward: null, note });
  if (nodeId !== null && session.model.node(nodeId) === undefined)
    return empty(`There is no node "${nodeId}" in the compiled network.`);
  if (nodeId !== null && !session.nodeValues.has(nodeId))
    return empty(`"${nodeId}" has not run in this pass yet: step forward up to it.`);
  const all = session.passRecords();
  if (all.length === 0) return empty('Run a forward step first: the tape fills as the nodes run.');
  const mine = nodeId === null ? all : all.filter((r) => session.ownerOf(r) === nodeId);
  if (mine.length === 0)
    return empty(
      `"${nodeId}" recorded no op on the tape: nothing it computed needs a gradient (it reads only the batch and has no parameters), or it passes its input through.`,
    );
  const records = mine.slice(0, maxOps);
  const preview = records.length > LONG_TAPE_OPS ? LONG_TAPE_PREVIEW_VALUES : TAPE_PREVIEW_VALUES;
  const back = session.backwardTape();

  // What each tensor is: a node's output, a parameter, the batch, or written by an op.
  const nodeOutput = new Map<number, { nodeId: string; port: string }>();
  for (const [id, outs] of session.nodeValues)
    for (const [port, t] of Object.entries(outs)) if (!nodeOutput.has(t.id)) nodeOutput.set(t.id, { nodeId: id, port });
  const params = new Map<number, string>(session.model.namedParameters().map(([n, t]) => [t.id, n]));
  const batch = new Map<number, string>(Object.entries(session.batchValues ?? {}).map(([n, t]) => [t.id, n]));
  const inExport = new Set(records.map((r) => r.id));
  // Consumers on the loss's tape, for whether a gradient is complete.
  const consumers = new Map<number, number[]>();
  if (back)
    for (const r of all)
      if (back.onTape.has(r.id))
        for (const t of new Set(r.inputs)) consumers.set(t.id, [...(consumers.get(t.id) ?? []), r.id]);
  const nextId = back?.next?.id ?? 0;

  const tensors = new Map<number, TapeTensor>();
  const add = (t: Tensor): void => {
    if (tensors.has(t.id) || t.isDisposed) return;
    const rec = t.creator as TapeRecord | null;
    const out = nodeOutput.get(t.id) ?? null;
    const kind: TapeTensor['kind'] = params.has(t.id)
      ? 'parameter'
      : batch.has(t.id)
        ? 'batch'
        : rec !== null
          ? inExport.has(rec.id)
            ? 'op'
            : 'outside'
          : 'constant';
    const label =
      params.get(t.id) ??
      batch.get(t.id) ??
      (out ? `${out.nodeId}.${out.port}` : rec !== null ? `${rec.kernelName} #${rec.id}` : 'constant');
    const g = session.accumulatedGradient(t);
    const waiting = (consumers.get(t.id) ?? []).some((id) => id <= nextId);
    tensors.set(t.id, {
      id: t.id,
      kind,
      label,
      producer: rec?.id ?? null,
      nodeOutput: out,
      value: summarizeTensor(t, preview),
      gradient: g && !g.isDisposed ? summarizeTensor(g, preview) : null,
      gradientFinal: g !== undefined && !waiting,
    });
  };

  const ops: TapeOp[] = records.map((r) => {
    for (const t of r.inputs) add(t);
    for (const t of r.outputs) add(t);
    const state: TapeOp['backward'] =
      back === null
        ? 'pending'
        : !back.onTape.has(r.id)
          ? 'off'
          : back.last?.id === r.id
            ? 'current'
            : back.next === undefined || r.id > back.next.id
              ? 'done'
              : 'pending';
    return {
      id: r.id,
      kernel: r.kernelName,
      nodeId: session.ownerOf(r),
      inputs: r.inputs.map((t) => t.id),
      outputs: r.outputs.map((t) => t.id),
      attrs: plainAttrs(r.attrs),
      backward: state,
    };
  });
  return {
    nodeId,
    ops,
    tensors: [...tensors.values()],
    omitted: mine.length - records.length,
    nextBackward: back?.next?.id ?? null,
    note: null,
  };
}
