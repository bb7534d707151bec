// Loss and accuracy of a compiled graph over some samples, in evaluation mode: the numbers the
// training loop reports per epoch (and at the end) for the CLI and the app alike.
import { noGrad } from '../autograd/gradMode';
import { tidy } from '../tensor/scope';
import type { GraphModel, NodeValues } from '../runtime/compile';
import { DEFAULT_IGNORE_INDEX } from '../graph/registry/losses';
import { countCorrect } from './predictionRule';
import type { TrainingData } from './trainingData';
import { batchOf } from './trainingData';

export interface SplitMetrics {
  /** Mean loss per sample, or per kept target for a loss that ignores padding (NaN when it is not finite). */
  readonly loss: number;
  /** Fraction of labels predicted right; null for regression. */
  readonly accuracy: number | null;
  readonly n: number;
}

/** Samples per forward pass when evaluating: bounds the memory whatever the split's size. */
export const EVAL_CHUNK = 512;

/**
 * The loss nodes' values for a batch of `m` samples, added up over the samples.
 *
 * NOTE: a `mean` loss is the batch mean, so it is scaled back by `m`; a `sum` loss already is the
 * batch's sum. Divided by the number of samples this gives the mean loss per sample for either
 * reduction (PyTorch's MNIST example: sum the `reduction='sum'` losses, divide by the set's size);
 * averaging per-batch values instead would weigh a short last batch wrongly, or report a `sum`
 * loss scaled by the batch size.
 */
export function summedLoss(model: GraphModel, values: NodeValues, m: number): number {
  let total = 0;
  for (const node of model.lossNodes) {
    const t = values.get(node.id)?.loss;
    if (t === undefined) continue;
    total += node.params.reduction === 'sum' ? t.item() : t.item() * m;
  }
  return total;
}

/**
 * How many targets the graph's loss keeps in a batch when it is a mean that ignores a target index
 * (the padding of sequences); null for every other loss.
 *
 * NOTE: such a loss is a mean over the kept targets of its batch, not over the samples, so a
 * split's mean loss weighs each chunk by its kept targets: the split's loss is then the loss
 * PyTorch gives on the whole split at once, whatever the chunking (the exported programs evaluate
 * in batches of the training batch size and must agree).
 */
export function keptTargets(model: GraphModel, values: NodeValues): number | null {
  if (model.lossNodes.length !== 1) return null;
  const loss = model.lossNodes[0];
  const p = loss.params as { reduction?: string; ignore_index?: number };
  if (p.reduction === 'sum' || p.ignore_index === undefined || p.ignore_index === DEFAULT_IGNORE_INDEX) return null;
  const edge = loss.inputEdges.target;
  const y = edge && values.get(edge.source)?.[edge.sourcePort];
  if (!y) return null;
  let kept = 0;
  for (let i = 0; i < y.size; i++) if (y.data[i] !== p.ignore_index) kept++;
  return kept;
}

/**
 * Loss and accuracy over some samples (indices into the data set), in evaluation mode, without
 * gradients, in chunks of EVAL_CHUNK; null when there are none. The model's mode is restored.
 *
 * @example
 * const dev = evaluate(model, data, data.split.dev); // { loss: 0.12, accuracy: 0.95, n: 40 }
 */
export function evaluate(model: GraphModel, data: TrainingData, idx: readonly number[]): SplitMetrics | null {
  if (idx.length === 0) return null;
  const wasTraining = model.training;
  model.train(false);
  let lossSum = 0;
  /** The samples, or the kept targets of a loss that ignores some (see keptTargets). */
  let lossWeight = 0;
  let correct = 0;
  let counted = 0;
  let classify = true;
  try {
    for (let s = 0; s < idx.length; s += EVAL_CHUNK) {
      const part = idx.slice(s, s + EVAL_CHUNK);
      tidy(() =>
        noGrad(() => {
          const { values } = model.forward(batchOf(model, data.dataset, part));
          const kept = keptTargets(model, values);
          if (kept === null) lossSum += summedLoss(model, values, part.length);
          else {
            lossSum += summedLoss(model, values, 1) * kept;
            lossWeight += kept;
          }
          const c = countCorrect(data.loss, values);
          if (c === null) classify = false;
          else {
            correct += c.correct;
            counted += c.count;
          }
        }),
      );
    }
  } finally {
    model.train(wasTraining);
  }
  return {
    loss: lossSum / (lossWeight || idx.length),
    accuracy: classify && counted > 0 ? correct / counted : null,
    n: idx.length,
  };
}
