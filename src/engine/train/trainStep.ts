// One optimizer step of the training loop, guarded against NaN/Inf: the weights change only
// when the loss, every gradient and every updated parameter are finite.
import { backward } from '../autograd/backward';
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
 */
export function trainStep<S>(
  model: GraphModel,
  data: TrainingData,
  optimizer: Optimizer,
  idx: readonly number[],
  summarize?: (t: Tensor) => S,
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
    const edgeTensors = summarize ? retainEdgeGrads(model, values) : null;
    backward(loss);
    const named = model.namedParameters();
    // NOTE: gradients are checked from the last node back, so the node named is where the
    // non-finite value entered the backward pass (the earlier nodes only inherit it).
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
    const saved = named.map(([, p]) => saveBefore(p));
    optimizer.step();
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
    const c = countCorrect(data.loss, values);
    let edges: EdgeSummaries<S> | null = null;
    if (summarize && edgeTensors) {
      edges = { activations: {}, gradients: {} };
      for (const [edgeId, t] of edgeTensors) {
        edges.activations[edgeId] = summarize(t);
        if (t.grad !== null && !t.grad.isDisposed) edges.gradients[edgeId] = summarize(t.grad);
      }
    }
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

/** Keeps the gradient of every edge's tensor (intermediates drop theirs by default). */
function retainEdgeGrads(model: GraphModel, values: NodeValues): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const e of model.graph.edges) {
    const t = values.get(e.source)?.[e.sourcePort];
    if (t === undefined) continue;
    if (t.requiresGrad) t.retainGrad();
    out.set(e.id, t);
  }
  return out;
}
