import { z } from 'zod';
import { method } from './method';
import { tensorSummarySchema } from './tensor';

/** One time step of an unrolled recurrent layer: the states it hands on and, after backward, their gradients. */
const unrolledStepSchema = z.object({
  t: z.number().int(),
  /** h_t, [batch, hidden]. */
  h: tensorSummarySchema,
  /** LSTM only: the cell state c_t. */
  c: tensorSummarySchema.nullable(),
  /** ∂loss/∂h_t through every path (the output at t and all later steps); null until final. */
  dh: tensorSummarySchema.nullable(),
  /** LSTM only: ∂loss/∂c_t. */
  dc: tensorSummarySchema.nullable(),
});

/**
 * Backpropagation through time, unrolled: a recurrent node's layer and direction drawn as one
 * cell per time step, with the engine's own per-step states (the tensors on its tape) and their
 * gradients from the step session's backward pass.
 */
export const unrolledViewSchema = z.object({
  nodeId: z.string(),
  cell: z.enum(['RNN', 'LSTM', 'GRU']),
  layers: z.number().int(),
  directions: z.number().int(),
  layer: z.number().int(),
  direction: z.number().int(),
  hiddenSize: z.number().int(),
  /** Time steps of the sequence the pass read (0 before the node ran). */
  steps: z.number().int(),
  /** The forward pass has evaluated the node. */
  ran: z.boolean(),
  /** The backward pass has gone through the node (the gradients are final). */
  backward: z.boolean(),
  /** The first `states.length` steps (all of them up to MAX_UNROLLED_STEPS). */
  states: z.array(unrolledStepSchema),
  /**
   * ‖∂loss/∂h_t‖₂ over the batch, for every step: null before any is final; while the pass steps
   * back through the node in time, null for the steps whose gradient is not final yet.
   */
  gradNorms: z.array(z.number().nullable()).nullable(),
  /** LSTM only: ‖∂loss/∂c_t‖₂ per step. */
  cellGradNorms: z.array(z.number().nullable()).nullable(),
  /** What the student is looking at, or what to do to see more. */
  note: z.string(),
});
export type UnrolledView = z.infer<typeof unrolledViewSchema>;

/** Steps drawn as cells with glyphs at most (the bar chart has every step). */
export const MAX_UNROLLED_STEPS = 64;

export const unrolledMethods = {
  /** The unrolled view of a recurrent node (RNN, LSTM, GRU): see unrolledViewSchema. Layer defaults to the last. */
  'session.unrolled': method(
    z
      .object({
        sessionId: z.string().min(1).max(100),
        nodeId: z.string().min(1).max(200),
        layer: z.number().int().min(0).max(64).optional(),
        direction: z.number().int().min(0).max(1).optional(),
      })
      .strict(),
    unrolledViewSchema,
  ),
};
