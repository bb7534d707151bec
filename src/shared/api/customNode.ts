import { z } from 'zod';
import { method } from './method';

const dims = z
  .array(
    z
      .number()
      .int()
      .min(-1)
      .max(1 << 24),
  )
  .max(8);
const port = z.enum(['x', 'y']);

/** An argument of a traced op (graph/customApi.ts, CustomTraceArg). */
const traceArg = z.union([
  z.object({ t: z.number().int().min(0) }),
  z.number(),
  z.boolean(),
  z.null(),
  z.literal('N'),
  z.array(z.union([z.number(), z.literal('N')])).max(8),
]);

/**
 * What running a custom node's code on a dummy batch found (docs/file-format.md, `Custom`): the
 * one schema of the signature, for the project file (the engine's parameter check) and the API.
 */
export const customSignatureSchema = z.object({
  inputs: z.partialRecord(port, dims),
  output: dims,
  params: z.record(
    z
      .string()
      .regex(/^[A-Za-z_$][\w$]*$/)
      .max(64),
    dims,
  ),
  trace: z.object({
    inputs: z.record(z.string().max(64), z.number().int().min(0)),
    params: z.record(z.string().max(64), z.number().int().min(0)),
    steps: z
      .array(z.object({ op: z.string().max(40), args: z.array(traceArg).max(8), out: z.number().int().min(0) }))
      .max(10_000),
    output: z.number().int().min(0),
  }),
});

export const customNodeMethods = {
  /**
   * Runs a custom node's code on a dummy batch in a worker's sandbox (never on the host's thread):
   * its signature, or the error with its line (1-based) in the code.
   */
  'customNode.check': method(
    z.object({ code: z.string().max(20_000), inputs: z.partialRecord(port, dims) }).strict(),
    z.union([
      z.object({ ok: z.literal(true), signature: customSignatureSchema }),
      z.object({
        ok: z.literal(false),
        message: z.string(),
        line: z.number().int().min(1).optional(),
        column: z.number().int().min(1).optional(),
      }),
    ]),
  ),
};
