import { z } from 'zod';
import { method } from './method';
import { tensorSummarySchema } from './tensor';

/**
 * The tape-export contract: the operations the engine recorded on its autograd tape during the
 * step session's pass (one record per kernel call: MatMul, Add, Tanh …), each with the tensors it
 * read and wrote, their values and, once backpropagation has reached them, their gradients. The
 * op-level computational graph (a node expanded into its ops, the whole network as its tape) is
 * drawn from it; any other view that needs per-op records (the unrolled view of a recurrent node)
 * reads this export rather than the engine's records. The engine side is
 * src/engine/runtime/tapeExport.ts.
 */

/** Where a tensor on the tape comes from. */
export const tapeTensorKindSchema = z.enum([
  /** Written by an op of the export (its `producer`). */
  'op',
  /** A parameter of the model (`label` is its PyTorch name, fc1.weight). */
  'parameter',
  /** The batch: the values of an Input or Target node (`label` is the node id). */
  'batch',
  /** Written by an op outside the export (another node's, when one node is exported). */
  'outside',
  /** Anything else the ops read: a tensor made inside a node without a gradient (a dropout mask, a constant). */
  'constant',
]);
export type TapeTensorKind = z.infer<typeof tapeTensorKindSchema>;

export const tapeTensorSchema = z.object({
  /** The engine's tensor id (unique within the session's process). */
  id: z.number().int(),
  kind: tapeTensorKindSchema,
  /** A short name: the parameter's name, the node and port it leaves (h1.out), or the op that wrote it. */
  label: z.string(),
  /** The op that wrote it (kind 'op' and 'outside'), by record id. */
  producer: z.number().int().nullable(),
  /** The canvas node and output port it leaves, when it is a node's output. */
  nodeOutput: z.object({ nodeId: z.string(), port: z.string() }).nullable(),
  value: tensorSummarySchema,
  /**
   * ∂loss/∂(this tensor) as backpropagation has accumulated it so far; null before the backward
   * pass reached any op reading it (or when it needs no gradient).
   */
  gradient: tensorSummarySchema.nullable(),
  /** Whether `gradient` is complete: every op on the loss's tape that reads the tensor has been backpropagated. */
  gradientFinal: z.boolean(),
});
export type TapeTensor = z.infer<typeof tapeTensorSchema>;

export const tapeOpSchema = z.object({
  /** The record's id: ids increase in execution order, so the ops are listed in forward order. */
  id: z.number().int(),
  /** The kernel the engine ran and recorded (MatMul, Add, Tanh …), as it names it. */
  kernel: z.string(),
  /** The canvas node whose forward pass recorded it; null for the sum of several losses. */
  nodeId: z.string().nullable(),
  /** Tensor ids read and written, by position (an op may read one tensor twice). */
  inputs: z.array(z.number().int()),
  outputs: z.array(z.number().int()),
  /** The kernel's attributes that are plain numbers, booleans or strings (transposeB, axis …). */
  attrs: z.record(z.string(), z.union([z.number(), z.boolean(), z.string(), z.array(z.number())])),
  /**
   * Where backpropagation is: 'pending' (not reached), 'current' (the op the last backward op step
   * processed: its inputs just received their share of the gradient), 'done'; 'off' when the op does
   * not lead to the loss (its records are not on the loss's tape).
   */
  backward: z.enum(['pending', 'current', 'done', 'off']),
});
export type TapeOp = z.infer<typeof tapeOpSchema>;

export const tapeExportSchema = z.object({
  /** The node exported, or null for the whole network. */
  nodeId: z.string().nullable(),
  ops: z.array(tapeOpSchema),
  tensors: z.array(tapeTensorSchema),
  /** Ops of the pass left out to keep the answer small (the first ones are kept). */
  omitted: z.number().int(),
  /** The op the next backward op step processes (null when none is left or the backward pass has not begun). */
  nextBackward: z.number().int().nullable(),
  /** Why there is nothing to show (no pass yet, the node has not run, it recorded nothing); null otherwise. */
  note: z.string().nullable(),
});
export type TapeExport = z.infer<typeof tapeExportSchema>;

/** Which op a backward op step processed, and the node step it completed (when it was that node's last op). */
export const tapeOpStepSchema = z.object({
  /** Record id of the op processed; null when the backward pass was already complete. */
  op: z.number().int().nullable(),
  /** The node the op belongs to (null: the sum of several losses). */
  nodeId: z.string().nullable(),
});

const sessionId = z.string().min(1).max(100);

/** The session channels of the op-level graph (served by the session's worker, as the other session channels). */
export const tapeMethods = {
  /**
   * The ops the current pass recorded: those of one node (`nodeId`), or of the whole network.
   * At most `maxOps` ops (default 400) are sent, with previews of at most 256 values.
   */
  'session.tape': method(
    z
      .object({
        sessionId,
        nodeId: z.string().min(1).max(200).optional(),
        maxOps: z.number().int().min(1).max(2000).optional(),
      })
      .strict(),
    tapeExportSchema,
  ),
};
