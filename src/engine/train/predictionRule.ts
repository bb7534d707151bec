// The one definition of what a trained graph predicts and of its accuracy, per loss and label
// kind. The training loop (train, evaluation, per-batch metrics), the host's confusion matrix
// and decision boundary all read labels through here, so they cannot disagree.
import { predictArgmax, predictSign, predictThreshold } from '../nn/predict';
import type { Tensor } from '../tensor/tensor';
import type { PortKind } from '../graph/nodeType';
import type { CompiledNode, NodeValues } from '../runtime/compile';

/**
 * How scores become labels: the argmax of class scores, or a threshold on one score per label
 * (`positive` at or above it, `negative` below); null for regression.
 */
export type PredictionRule =
  | { readonly type: 'argmax' }
  | { readonly type: 'threshold'; readonly at: number; readonly negative: number; readonly positive: number };

/** Losses whose input is a logit or margin score: its decision boundary is the score 0. */
export const MARGIN_LOSSES: ReadonlySet<string> = new Set([
  'BCEWithLogitsLoss',
  'HingeLoss01',
  'LogisticLoss',
  'HingeLoss',
  'PerceptronLoss',
]);

/**
 * The rule for a loss node type and the label kind of its target.
 *
 * @example
 * predictionRule('MSELoss', 'binary-labels');           // { type: 'threshold', at: 0.5, negative: 0, positive: 1 }
 * predictionRule('BCEWithLogitsLoss', 'binary-labels'); // { type: 'threshold', at: 0, negative: 0, positive: 1 }
 */
export function predictionRule(lossType: string, kind: PortKind): PredictionRule | null {
  // NOTE: ties go to the first class, as torch.argmax (and the Argmax node) do.
  if (kind === 'class-labels') return { type: 'argmax' };
  // NOTE: ±1 labels predict sign(score) with a score of exactly 0 counting as +1, as the Sign node
  // does (torch.sign(0) is 0, which matches neither label; courses break the tie towards +1).
  // Every loss on ±1 labels (margin losses, and MSE/L1 regressing −1/+1, whose midpoint is 0) agrees.
  if (kind === 'pm1-labels') return { type: 'threshold', at: 0, negative: -1, positive: 1 };
  if (kind === 'binary-labels') {
    // NOTE: a logit or margin score predicts 1 when score ≥ 0 (σ(score) ≥ 0.5, the Threshold
    // node's default); MSE/L1 regressing 0/1 targets predicts 1 when score ≥ 0.5, the midpoint of
    // the two targets (the PyTorch-course rule `(pred >= 0.5)` for a model that outputs 0/1 values).
    return { type: 'threshold', at: MARGIN_LOSSES.has(lossType) ? 0 : 0.5, negative: 0, positive: 1 };
  }
  return null;
}

/** The rule of a graph's (first) loss node, from the kind of the labels on its target port. */
export function lossPredictionRule(loss: CompiledNode): PredictionRule | null {
  const kind = loss.inputTypes.target?.kind;
  return kind === undefined ? null : predictionRule(loss.def.type, kind);
}

/**
 * Predicted labels from scores, in the targets' encoding (class index, 0/1 or ±1).
 *
 * @example
 * predictLabels(tensor([-0.5, 0, 0.7]), predictionRule('HingeLoss', 'pm1-labels')!).toArray(); // [-1, 1, 1]
 */
export function predictLabels(scores: Tensor, rule: PredictionRule): Tensor {
  if (rule.type === 'argmax') return predictArgmax(scores);
  if (rule.negative === -1 && rule.positive === 1 && rule.at === 0) return predictSign(scores);
  return predictThreshold(scores, rule.at);
}

/** Correct predictions and how many were compared, for one batch of a graph's values; null for regression. */
export function countCorrect(loss: CompiledNode, values: NodeValues): { correct: number; count: number } | null {
  const rule = lossPredictionRule(loss);
  const inEdge = loss.inputEdges.input;
  const tEdge = loss.inputEdges.target;
  if (rule === null || inEdge === undefined || tEdge === undefined) return null;
  const scores = values.get(inEdge.source)?.[inEdge.sourcePort];
  const truth = values.get(tEdge.source)?.[tEdge.sourcePort];
  if (scores === undefined || truth === undefined) return null;
  const pred = predictLabels(scores, rule).data;
  const y = truth.data;
  if (pred.length !== y.length) return null;
  // NOTE: targets the loss ignores (the padding of sequences) are not predictions to count.
  const ignore = (loss.params as { ignore_index?: number }).ignore_index;
  let correct = 0;
  let count = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === ignore) continue;
    count++;
    if (pred[i] === y[i]) correct++;
  }
  return { correct, count };
}
