// One training step and the evaluation of a split, for the training loop (trainer.ts).
import { backward } from '../../engine/autograd/backward';
import { noGrad } from '../../engine/autograd/gradMode';
import type { GraphModel, NodeValues } from '../../engine/graph/runtime/compile';
import { tidy } from '../../engine/tensor/scope';
import type { Tensor } from '../../engine/tensor/tensor';
import type { TensorSummary } from '../../shared/api/tensor';
import type { ProjectData } from './projectData';
import { batchFor } from './projectData';
import type { StepRuntime } from './stepRuntime';
import { firstNonFinite, summaryOf } from './summaries';

export interface EpochMetrics {
  loss: number | null;
  accuracy: number | null;
}

export interface EdgeSummaries {
  activations: Record<string, TensorSummary>;
  gradients: Record<string, TensorSummary>;
}

export interface StepOutcome {
  loss: number;
  accuracy: number | null;
  edges: EdgeSummaries | null;
}

/** Thrown inside a step when a value stops being finite; the step's update is not applied. */
export class NonFiniteError extends Error {
  constructor(
    message: string,
    readonly nodeId: string | undefined,
  ) {
    super(message);
  }
}

/**
 * One optimizer step. The weights change only when the loss, every gradient and every
 * updated parameter are finite; otherwise they are restored and the first node at fault named.
 */
export function trainStep(rt: StepRuntime, batch: Record<string, Tensor>, withEdges: boolean): StepOutcome {
  const model = rt.model;
  const opt = rt.optimizer!;
  return tidy(() => {
    model.train(true);
    opt.zeroGrad();
    const { values, loss } = model.forward(batch);
    if (loss === undefined) throw new NonFiniteError('The graph has no loss node to train.', undefined);
    const lossValue = loss.item();
    if (!Number.isFinite(lossValue)) {
      const at = firstNonFiniteNode(model, values);
      throw new NonFiniteError(
        `The loss became ${String(lossValue)} at step ${rt.step + 1}${at ? `; the first non-finite value appeared in the output of node "${at}"` : ''}. Training stopped; the weights are those of the last completed step. Try a smaller learning rate or standardised inputs.`,
        at,
      );
    }
    const edgeTensors = withEdges ? retainEdgeGrads(model, values) : null;
    backward(loss);
    const named = model.namedParameters();
    for (let i = model.nodes.length - 1; i >= 0; i--) {
      const id = model.nodes[i].id;
      for (const [name, p] of named) {
        if (!name.startsWith(`${id}.`) || p.grad === null) continue;
        if (firstNonFinite(p.grad.data) >= 0) {
          throw new NonFiniteError(
            `The gradient of "${name}" became NaN or infinite at step ${rt.step + 1}, first in node "${id}". Training stopped; the weights are those of the last completed step.`,
            id,
          );
        }
      }
    }
    const before = named.map(([, p]) => p.data.slice());
    opt.step();
    for (let k = 0; k < named.length; k++) {
      const [name, p] = named[k];
      if (firstNonFinite(p.data) >= 0) {
        named.forEach(([, q], j) => q.data.set(before[j]));
        const id = name.split('.')[0];
        throw new NonFiniteError(
          `The parameter "${name}" became NaN or infinite after the update at step ${rt.step + 1} (node "${id}"). Training stopped; the weights were restored to the last completed step. Try a smaller learning rate.`,
          id,
        );
      }
    }
    const accuracy = batchAccuracy(model, values, batch);
    let edges: EdgeSummaries | null = null;
    if (edgeTensors !== null) {
      edges = { activations: {}, gradients: {} };
      for (const [edgeId, t] of edgeTensors) {
        edges.activations[edgeId] = summaryOf(t);
        if (t.grad !== null && !t.grad.isDisposed) edges.gradients[edgeId] = summaryOf(t.grad);
      }
    }
    return { loss: lossValue, accuracy, edges };
  });
}

/** Mean loss and accuracy over a split, without gradients, in eval mode. */
export function evaluateSplit(rt: StepRuntime, data: ProjectData, indices: readonly number[]): EpochMetrics {
  const model = rt.model;
  const chunk = Math.max(1, Math.min(512, rt.project.training.batchSize * 4));
  let lossSum = 0;
  let accSum = 0;
  let accN = 0;
  let n = 0;
  let lossOk = true;
  for (let s = 0; s < indices.length; s += chunk) {
    const idx = indices.slice(s, s + chunk);
    const batch = batchFor(model, data.dataset, idx);
    tidy(() =>
      noGrad(() => {
        model.train(false);
        const { values, loss } = model.forward(batch);
        const l = loss?.item();
        if (l === undefined || !Number.isFinite(l)) lossOk = false;
        else lossSum += l * idx.length;
        const a = batchAccuracy(model, values, batch);
        if (a !== null) {
          accSum += a * idx.length;
          accN += idx.length;
        }
      }),
    );
    disposeBatch(batch);
    n += idx.length;
  }
  model.train(true);
  return { loss: lossOk && n > 0 ? lossSum / n : null, accuracy: accN > 0 ? accSum / accN : null };
}

export function disposeBatch(batch: Record<string, Tensor>): void {
  for (const t of Object.values(batch)) if (!t.isDisposed) t.dispose();
}

function firstNonFiniteNode(model: GraphModel, values: NodeValues): string | undefined {
  for (const n of model.nodes) {
    const out = values.get(n.id);
    if (out && Object.values(out).some((t) => firstNonFinite(t.data) >= 0)) return n.id;
  }
  return undefined;
}

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

/** Accuracy of the first loss node's input against its target, by label kind; null for regression. */
export function batchAccuracy(model: GraphModel, values: NodeValues, batch: Record<string, Tensor>): number | null {
  const lossNode = model.lossNodes[0];
  if (lossNode === undefined) return null;
  const inEdge = lossNode.inputEdges['input'];
  const tEdge = lossNode.inputEdges['target'];
  if (inEdge === undefined || tEdge === undefined) return null;
  const scores = values.get(inEdge.source)?.[inEdge.sourcePort];
  const target = values.get(tEdge.source)?.[tEdge.sourcePort] ?? batch[tEdge.source];
  const kind = model.node(tEdge.source)?.outputTypes[tEdge.sourcePort]?.kind;
  if (scores === undefined || target === undefined || kind === undefined) return null;
  const y = target.data;
  const s = scores.data;
  const n = y.length;
  if (n === 0) return null;
  let correct = 0;
  if (kind === 'class-labels') {
    const c = s.length / n;
    if (!Number.isInteger(c) || c < 1) return null;
    for (let i = 0; i < n; i++) {
      let arg = 0;
      for (let j = 1; j < c; j++) if (s[i * c + j] > s[i * c + arg]) arg = j;
      if (arg === y[i]) correct++;
    }
  } else if (kind === 'binary-labels' || kind === 'pm1-labels') {
    if (s.length !== n) return null;
    for (let i = 0; i < n; i++) {
      const positive = s[i] > 0;
      if (positive === y[i] > 0) correct++;
    }
  } else {
    return null;
  }
  return correct / n;
}
