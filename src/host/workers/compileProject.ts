// Compiling a session's project into an engine model, and its optimizer from the settings.
import { compileGraph } from '../../engine/graph/runtime/compile';
import type { GraphModel } from '../../engine/graph/runtime/compile';
import type { OptimizerSettings, Project } from '../../engine/graph/schema';
import { SGD } from '../../engine/optim/sgd';
import { Adam, AdamW } from '../../engine/optim/adam';
import type { Optimizer } from '../../engine/optim/optimizer';
import type { Tensor } from '../../engine/tensor/tensor';
import { SessionError } from './workerErrors';

export function makeOptimizer(params: readonly Tensor[], s: OptimizerSettings): Optimizer | undefined {
  if (params.length === 0) return undefined;
  if (s.type === 'sgd')
    return new SGD(params, { lr: s.lr, momentum: s.momentum, nesterov: s.nesterov, weightDecay: s.weightDecay });
  const opts = { lr: s.lr, betas: [s.beta1, s.beta2] as [number, number], eps: s.eps, weightDecay: s.weightDecay };
  return s.type === 'adam' ? new Adam(params, opts) : new AdamW(params, opts);
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
