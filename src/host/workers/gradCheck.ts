// The session's gradient check: which gradient to check, and when it can be checked; the check
// itself is the engine's (runtime/gradCheck.ts).
import { checkGraphGradient } from '../../engine/runtime/gradCheck';
import type { Tensor } from '../../engine/tensor/tensor';
import type { GradCheckRef, GradCheckResult } from '../../shared/api/session';
import type { StepRuntime } from './stepRuntime';
import { SessionError } from './workerErrors';

/**
 * Backprop's gradient of the session at `ref` (recomputed at the current weights after an
 * update) against the engine's float64 central differences at `samples` entries.
 */
export function gradCheck(rt: StepRuntime, ref: GradCheckRef, samples = 8): GradCheckResult {
  rt.needBatch();
  if (rt.model.graph.nodes.some((n) => n.type === 'Dropout' && Number((n.params as { p?: unknown }).p ?? 0.5) > 0)) {
    throw new SessionError(
      'conflict',
      'The gradient check needs a deterministic loss, but the Dropout nodes make it random; set their p to 0 to check.',
    );
  }
  // After an update the gradients belong to the old weights: recompute them at the current ones.
  if (rt.session.phase === 'updated') rt.session.reset();
  if (rt.session.phase !== 'backwarded') rt.wrap(() => rt.session.runBackward());
  let analytic: Tensor | undefined;
  if (ref.type === 'edge') {
    rt.requireEdge(ref.edgeId);
    analytic = rt.session.gradient(ref.edgeId);
  } else {
    if (rt.session.parameter(ref.name) === undefined)
      throw new SessionError('not-found', `The model has no parameter "${ref.name}".`);
    analytic = rt.session.parameterGradient(ref.name);
  }
  if (analytic === undefined)
    throw new SessionError('conflict', 'No gradient flows there, so there is nothing to check.');
  const result = checkGraphGradient(rt.project, rt.model, rt.batchTensors!, ref, analytic.data, samples);
  if (result === undefined) throw new SessionError('not-found', 'That edge or parameter is not part of the model.');
  return result;
}
