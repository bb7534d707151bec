// One optimizer step of the training loop, guarded against NaN/Inf: the weights change only
// when the loss, every gradient and every updated parameter are finite.
import { BackwardPass } from '../autograd/backward';
import type { Optimizer } from '../optim/optimizer';
import { tidy } from '../tensor/scope';
import type { TypedArray } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import type { CompiledNode, GraphModel, NodeValues } from '../runtime/compile';
import { totalLoss } from '../runtime/compile';
import { summedLoss } from './evaluate';
import { countCorrect } from './predictionRule';
import type { TrainingData } from './trainingData';
import { batchOf } from './trainingData';

/** Summaries of every edge's activation and gradient for one step, in the caller's format. */
export interface EdgeSummaries<S> {
  readonly activations: Record<string, S>;
  readonly gradients: Record<string, S>;
}

export type StepResult<S> =
  | {
      readonly ok: true;
      readonly loss: number;
      readonly accuracy: number | null;
      readonly edges: EdgeSummaries<S> | null;
    }
  | { readonly ok: false; readonly message: string; readonly nodeId: string | undefined };

const hasNonFinite = (data: ArrayLike<number>) => {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return true;
  return false;
};

/**
 * Whether `data` holds NaN or ±Infinity, without a branch per value: v·0 is ±0 for every finite
 * v and NaN otherwise, so the sum is 0 exactly when every value is finite (four sums, so the
 * additions do not wait on each other). The guard runs this on every gradient and every updated
 * weight of every step, and names the node only when it says yes.
 */
function anyNonFinite(data: ArrayLike<number>): boolean {
  const n = data.length;
  const m = n - (n & 3);
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = 0;
  for (; i < m; i += 4) {
    a += data[i] * 0;
    b += data[i + 1] * 0;
    c += data[i + 2] * 0;
    d += data[i + 3] * 0;
  }
  for (; i < n; i++) a += data[i] * 0;
  return a + b + c + d !== 0;
}

const describe = (n: CompiledNode, port = 'out') =>
  `${n.def.title} "${n.id}"${port === 'out' || port === 'loss' ? '' : ` (${port})`}`;

/** The first node, in evaluation order, with an output holding NaN or Inf. */
function firstNonFiniteOutput(model: GraphModel, values: NodeValues): { node: CompiledNode; port: string } | undefined {
  for (const node of model.nodes) {
    for (const [port, t] of Object.entries(values.get(node.id) ?? {})) if (hasNonFinite(t.data)) return { node, port };
  }
  return undefined;
}

/**
 * Each parameter's values before the update, for the NaN/Inf restore: one buffer per parameter,
 * overwritten every step. `slice()` allocated a fresh array per parameter per step, and in the
 * app's session worker, whose tensors are on SharedArrayBuffers, it took V8's slower copy out of
 * shared memory into a new ArrayBuffer; `set` into a kept plain array costs about half of that and
 * allocates nothing (measured for 4,810 float32 values: ~1.0 µs against ~2.1 µs).
 */
const before = new WeakMap<Tensor, TypedArray>();

function saveBefore(p: Tensor): TypedArray {
  // NOTE: a caller that already copied the weights aside (the app's time-travel recorder) passes
  // them to trainStep, and this copy is not made (see trainStep's `before`).
  const src = p.data;
  let saved = before.get(p);
  if (saved === undefined || saved.length !== src.length || saved.constructor !== src.constructor) {
    saved = src instanceof Float32Array ? new Float32Array(src.length) : new Float64Array(src.length);
    before.set(p, saved);
  }
  saved.set(src);
  return saved;
}

const ownerOf = (model: GraphModel, name: string) => model.nodes.find((n) => name.startsWith(`${n.id}.`));

/**
 * Trains on one batch (the given sample indices): forward in training mode, backward, and the
 * optimizer's step. `summarize`, when given, receives every edge's activation and gradient.
 * On NaN/Inf nothing changes (updated parameters are restored) and the first node at fault is named.
 * The loss reported is per sample (see summedLoss), the accuracy that of the batch in training mode.
 *
 * `before`, when given, holds every parameter's values as they are now (the model's parameter
 * order, each as long as its data): the caller copied them already (the app's time-travel recorder
 * does, for every step), and a NaN/Inf in the update restores them from there instead of from a
 * copy of its own.
 */
export function trainStep<S>(
  model: GraphModel,
  data: TrainingData,
  optimizer: Optimizer,
  idx: readonly number[],
  summarize?: (t: Tensor) => S,
  before?: readonly TypedArray[] | null,
): StepResult<S> {
  return tidy((): StepResult<S> => {
    model.train(true);
    optimizer.zeroGrad();
    const { values } = model.forward(batchOf(model, data.dataset, idx));
    const loss = totalLoss(model, values);
    if (loss === undefined) return { ok: false, message: 'the graph has no loss node to train', nodeId: undefined };
    const lossValue = loss.item();
    if (!Number.isFinite(lossValue)) {
      const at = firstNonFiniteOutput(model, values);
      return {
        ok: false,
        message: `the loss became ${lossValue}; the first NaN or Inf appeared in ${at ? describe(at.node, at.port) : 'the loss'}`,
        nodeId: at?.node.id,
      };
    }
    // NOTE: the edges' gradients are read from the pass (gradOf) rather than kept with
    // retainGrad: a step with edge summaries then runs the same backward as any other, where
    // retained gradients took other branches of the autograd code every few hundred steps and V8
    // threw away its optimised code for them each time they first did.
    const pass = new BackwardPass([loss]);
    pass.run();
    const named = model.namedParameters();
    const failure = nonFiniteGradient(model, named);
    if (failure !== undefined) return failure;
    const saved = fits(before, named) ? before : named.map(([, p]) => saveBefore(p));
    optimizer.step();
    if (named.some(([, p]) => anyNonFinite(p.data))) {
      for (const [name, p] of named) {
        if (!hasNonFinite(p.data)) continue;
        named.forEach(([, q], j) => q.data.set(saved[j]));
        const owner = ownerOf(model, name);
        return {
          ok: false,
          message: `the parameter "${name}" became NaN or infinite in the update${owner ? `, in ${describe(owner)}` : ''}; it was restored to its value before the step`,
          nodeId: owner?.id,
        };
      }
    }
    const c = countCorrect(data.loss, values);
    const edges = summarize ? edgeSummaries(model, values, pass, summarize) : null;
    // NOTE: the optimizer minimised the loss as the nodes compute it; the curve gets it per sample,
    // like the evaluation (a `sum` loss would otherwise jump with the size of the last batch).
    return {
      ok: true,
      loss: summedLoss(model, values, idx.length) / idx.length,
      accuracy: c && c.count > 0 ? c.correct / c.count : null,
      edges,
    };
  });
}

/** Whether `before` holds a copy for each parameter, in order, of its length. */
function fits(
  before: readonly TypedArray[] | null | undefined,
  named: readonly (readonly [string, Tensor])[],
): before is readonly TypedArray[] {
  if (before === undefined || before === null || before.length !== named.length) return false;
  for (let i = 0; i < named.length; i++) if (before[i].length !== named[i][1].data.length) return false;
  return true;
}

/**
 * The failure to report when a parameter's gradient holds NaN or Inf, else undefined. Gradients
 * are checked from the last node back, so the node named is where the non-finite value entered
 * the backward pass (the earlier nodes only inherit it); that search by name runs only once the
 * one summed check over every gradient found something.
 */
function nonFiniteGradient(
  model: GraphModel,
  named: readonly (readonly [string, Tensor])[],
): { ok: false; message: string; nodeId: string } | undefined {
  let any = false;
  for (const [, p] of named) if (p.grad !== null && anyNonFinite(p.grad.data)) any = true;
  if (!any) return undefined;
  for (let i = model.nodes.length - 1; i >= 0; i--) {
    const node = model.nodes[i];
    for (const [name, p] of named) {
      if (name.startsWith(`${node.id}.`) && p.grad !== null && hasNonFinite(p.grad.data)) {
        return {
          ok: false,
          message: `the gradient of "${name}" became NaN or infinite, first in ${describe(node)}`,
          nodeId: node.id,
        };
      }
    }
  }
  return undefined;
}

/**
 * Every edge's activation and gradient, summarised. A tensor computed in the step has its
 * gradient in the backward pass; a leaf (a parameter's or a data tensor) in `.grad`.
 */
function edgeSummaries<S>(
  model: GraphModel,
  values: NodeValues,
  pass: BackwardPass,
  summarize: (t: Tensor) => S,
): EdgeSummaries<S> {
  const edges: EdgeSummaries<S> = { activations: {}, gradients: {} };
  for (const e of model.graph.edges) {
    const t = values.get(e.source)?.[e.sourcePort];
    if (t === undefined) continue;
    edges.activations[e.id] = summarize(t);
    const g = t.creator === null ? t.grad : t.requiresGrad ? (pass.gradOf(t) ?? null) : null;
    if (g !== null && !g.isDisposed) edges.gradients[e.id] = summarize(g);
  }
  return edges;
}
