import { z } from 'zod';
import { method } from './method';

/** A graph as the canvas holds it; nodes and edges are checked one by one by the host. */
export const graphPayloadSchema = z
  .object({
    nodes: z.array(z.unknown()).max(10_000),
    edges: z.array(z.unknown()).max(50_000),
  })
  .strict();

export const graphIssueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  nodeId: z.string().optional(),
  port: z.string().optional(),
  edgeId: z.string().optional(),
});
export type GraphIssuePayload = z.infer<typeof graphIssueSchema>;

/** A shape with -1 for the batch dimension, and what the tensor carries. */
export const tensorTypeSchema = z.object({ shape: z.array(z.number().int()), kind: z.string() });

export const graphMethods = {
  /**
   * Every problem of the graph, attached to a node, port or edge, in plain words. With the project's
   * training `batchSize`, memory is counted for that batch ("This network needs N GB; the limit is
   * M"); with its `dataset`, a CSV file that cannot be read (missing, not a regular file, too large,
   * outside the data folder) is an error too.
   */
  'graph.validate': method(
    z
      .object({
        graph: graphPayloadSchema,
        batchSize: z
          .number()
          .int()
          .min(1)
          .max(1 << 20)
          .optional(),
        dataset: z.object({ name: z.string().max(200), params: z.record(z.string(), z.unknown()) }).optional(),
      })
      .strict(),
    z.object({ valid: z.boolean(), issues: z.array(graphIssueSchema), order: z.array(z.string()) }),
  ),
  /** The type on every edge and output port whose inference succeeded. */
  'graph.inferShapes': method(
    z.object({ graph: graphPayloadSchema }).strict(),
    z.object({
      edges: z.record(z.string(), tensorTypeSchema),
      outputs: z.record(z.string(), z.record(z.string(), tensorTypeSchema)),
      issues: z.array(graphIssueSchema),
    }),
  ),
};
