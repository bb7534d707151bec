// The gradient check: backprop's gradient against central finite differences in float64.
import { noGrad } from '../../engine/autograd/gradMode';
import { compileProject, dumpWeights, totalLoss } from '../../engine/runtime/compile';
import type { NodeValues } from '../../engine/runtime/compile';
import { fromTypedArray, tensor } from '../../engine/tensor/create';
import type { Tensor } from '../../engine/tensor/tensor';
import type { StepRuntime } from './stepRuntime';
import { SessionError } from './workerErrors';

export type GradCheckRef = { type: 'edge'; edgeId: string } | { type: 'parameter'; name: string };

export interface GradCheckResult {
  maxRelError: number;
  entries: { index: number; backprop: number; numeric: number; relError: number }[];
}

/**
 * Central finite differences in float64 on a twin of the model with the same weights and
 * batch, against the session's backprop gradient, at `samples` entries (the largest
 * gradients first, then evenly spread ones).
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
  const g = analytic.data;
  const picks = pickIndices(g, samples);

  const twin = compileProject(rt.project, { weights: dumpWeights(rt.model), dtype: 'float64' });
  twin.train(true);
  const batch64: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(rt.batchTensors!))
    batch64[k] = tensor(Array.from(t.data), t.shape, { dtype: 'float64' });
  const edge = ref.type === 'edge' ? rt.model.graph.edges.find((e) => e.id === ref.edgeId)! : undefined;
  const param = ref.type === 'parameter' ? twin.namedParameters().find(([n]) => n === ref.name)![1] : undefined;

  const lossWith = (index: number, delta: number): number =>
    noGrad(() => {
      const values: NodeValues = new Map();
      if (param) param.data[index] += delta;
      try {
        for (const n of twin.nodes) {
          let out = twin.evaluate(n, values, batch64);
          if (edge && n.id === edge.source) {
            const t = out[edge.sourcePort];
            const copy = fromTypedArray(t.data.slice(), t.shape, { dtype: 'float64' });
            copy.data[index] += delta;
            out = { ...out, [edge.sourcePort]: copy };
          }
          values.set(n.id, out);
        }
        return totalLoss(twin, values)?.item() ?? NaN;
      } finally {
        if (param) param.data[index] -= delta;
      }
    });

  const base = ref.type === 'edge' ? rt.session.activation(ref.edgeId)!.data : param!.data;
  const entries = picks.map((index) => {
    const h = 1e-6 * Math.max(1, Math.abs(base[index]));
    const numeric = (lossWith(index, h) - lossWith(index, -h)) / (2 * h);
    const backprop = g[index];
    const scale = Math.max(Math.abs(backprop), Math.abs(numeric));
    const relError = scale < 1e-8 ? Math.abs(backprop - numeric) : Math.abs(backprop - numeric) / scale;
    return { index, backprop, numeric, relError };
  });
  return { maxRelError: Math.max(0, ...entries.map((e) => e.relError)), entries };
}

function pickIndices(g: ArrayLike<number>, samples: number): number[] {
  const n = g.length;
  if (n <= samples) return Array.from({ length: n }, (_, i) => i);
  const byMagnitude = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]));
  const picked = new Set(byMagnitude.slice(0, Math.ceil(samples / 2)));
  for (let k = 0; picked.size < samples && k < n; k++) picked.add(Math.floor((k * n) / samples) % n);
  return [...picked].sort((a, b) => a - b);
}
