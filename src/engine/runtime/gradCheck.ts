// The gradient check of a graph: backprop's gradient at an edge or a parameter against central
// finite differences of the whole graph's loss, in float64, at a few entries.
import type { GradCheckRef, GradCheckResult } from '../../shared/api/session';
import { noGrad } from '../autograd/gradMode';
import type { Project } from '../graph/schema';
import { centralDifference } from '../ops/gradcheck';
import { fromTypedArray } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { compileProject, dumpWeights, totalLoss } from './compile';
import type { GraphModel, NodeValues } from './compile';

/**
 * Compares `analytic` — backprop's gradient of `model`'s loss at `ref` on `batch` — with float64
 * central differences on a twin of the model (same weights, same batch, training mode) at
 * `samples` entries: the largest gradients first, then evenly spread ones. The step at entry i is
 * 1e-6·max(1, |x_i|); the relative error is |a − n| / max(|a|, |n|), absolute below 1e-8. The
 * loss must be deterministic (no active Dropout). Undefined when the twin has no such edge or
 * parameter.
 *
 * @example
 * checkGraphGradient(project, model, batch, { type: 'parameter', name: 'fc1.weight' }, grad.data).maxRelError; // ~1e-9
 */
export function checkGraphGradient(
  project: Project,
  model: GraphModel,
  batch: Readonly<Record<string, Tensor>>,
  ref: GradCheckRef,
  analytic: ArrayLike<number>,
  samples = 8,
): GradCheckResult | undefined {
  const twin = compileProject(project, { weights: dumpWeights(model), dtype: 'float64' });
  twin.train(true);
  const batch64: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(batch)) batch64[k] = fromTypedArray(Float64Array.from(t.data), t.shape);

  // What is perturbed: a parameter of the twin, or a float64 copy of the edge's value that
  // replaces the source's output on every evaluation (what comes before it does not change).
  let values: { [i: number]: number; length: number };
  let lossAt: () => number;
  const run = (replace?: { node: string; port: string; value: Tensor }): number =>
    noGrad(() => {
      const out: NodeValues = new Map();
      for (const n of twin.nodes) {
        const v = twin.evaluate(n, out, batch64);
        out.set(n.id, replace && n.id === replace.node ? { ...v, [replace.port]: replace.value } : v);
      }
      return totalLoss(twin, out)?.item() ?? NaN;
    });
  if (ref.type === 'edge') {
    const edge = twin.graph.edges.find((e) => e.id === ref.edgeId);
    if (!edge) return undefined;
    let value: Tensor | undefined;
    noGrad(() => {
      const out: NodeValues = new Map();
      for (const n of twin.nodes) {
        out.set(n.id, twin.evaluate(n, out, batch64));
        if (n.id === edge.source) value = out.get(n.id)?.[edge.sourcePort];
      }
    });
    if (!value) return undefined;
    const copy = fromTypedArray(value.data.slice(), value.shape, { dtype: 'float64' });
    values = copy.data;
    lossAt = () => run({ node: edge.source, port: edge.sourcePort, value: copy });
  } else {
    const param = twin.namedParameters().find(([n]) => n === ref.name)?.[1];
    if (!param) return undefined;
    values = param.data;
    lossAt = () => run();
  }

  const entries = pickIndices(analytic, samples).map((index) => {
    const numeric = centralDifference(values, index, 1e-6 * Math.max(1, Math.abs(values[index])), lossAt);
    const backprop = analytic[index];
    const scale = Math.max(Math.abs(backprop), Math.abs(numeric));
    const relError = scale < 1e-8 ? Math.abs(backprop - numeric) : Math.abs(backprop - numeric) / scale;
    return { index, backprop, numeric, relError };
  });
  return { maxRelError: Math.max(0, ...entries.map((e) => e.relError)), entries };
}

/** `samples` entries of `g`: half the largest in magnitude, the rest evenly spread, in order. */
function pickIndices(g: ArrayLike<number>, samples: number): number[] {
  const n = g.length;
  if (n <= samples) return Array.from({ length: n }, (_, i) => i);
  const byMagnitude = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]));
  const picked = new Set(byMagnitude.slice(0, Math.ceil(samples / 2)));
  for (let k = 0; picked.size < samples && k < n; k++) picked.add(Math.floor((k * n) / samples) % n);
  return [...picked].sort((a, b) => a - b);
}
