// Loss and accuracy of a compiled graph over some samples, in evaluation mode: the numbers the
// training loop reports per epoch (and at the end) for the CLI and the app alike.
import { noGrad } from '../autograd/gradMode';
import { tidy } from '../tensor/scope';
import type { GraphModel, NodeValues } from '../runtime/compile';
import { countCorrect } from './predictionRule';
import type { TrainingData } from './trainingData';
import { batchOf } from './trainingData';

export interface SplitMetrics {
  /** Mean loss per sample (NaN when it is not finite). */
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
  let correct = 0;
  let counted = 0;
  let classify = true;
  try {
    for (let s = 0; s < idx.length; s += EVAL_CHUNK) {
      const part = idx.slice(s, s + EVAL_CHUNK);
      tidy(() =>
        noGrad(() => {
          const { values } = model.forward(batchOf(model, data.dataset, part));
          lossSum += summedLoss(model, values, part.length);
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
  return { loss: lossSum / idx.length, accuracy: classify && counted > 0 ? correct / counted : null, n: idx.length };
}
