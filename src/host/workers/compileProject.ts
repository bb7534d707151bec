// Compiling a session's project into an engine model, and its optimizer from the settings.
import { compileGraph } from '../../engine/runtime/compile';
import type { GraphModel } from '../../engine/runtime/compile';
import { createOptimizer } from '../../engine/train/train';
import type { OptimizerSettings, Project } from '../../engine/graph/schema';
import type { Optimizer } from '../../engine/optim/optimizer';
import type { Tensor } from '../../engine/tensor/tensor';
import { SessionError } from './workerErrors';

/** The engine's optimizer for the settings (the CLI's too); none for a graph without parameters. */
export function makeOptimizer(params: readonly Tensor[], s: OptimizerSettings): Optimizer | undefined {
  return params.length === 0 ? undefined : createOptimizer(s, params);
}

/** Compiles a project (with the given weights, else its own, else a seeded initialisation). */
export function compileProject(
  project: Project,
  weights: Project['weights'] | undefined,
  dtype: 'float32' | 'float64' = 'float32',
): GraphModel {
  const w = weights ?? project.weights;
  const r = compileGraph(project.graph, {
    seed: project.training.seed,
    dtype,
    ...(w !== undefined ? { weights: w } : {}),
  });
  if (!r.ok) {
    const first = r.issues[0];
    throw new SessionError(
      'invalid-request',
      `The graph cannot run: ${first?.message ?? 'it has errors'}`,
      first?.nodeId,
    );
  }
  return r.model;
}
