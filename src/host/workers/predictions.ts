// Predictions of a session's model without targets: the decision-boundary grid of a 2-D data
// set and the confusion matrix of a split.
import { noGrad } from '../../engine/autograd/gradMode';
import type { GraphModel, NodeValues } from '../../engine/runtime/compile';
import type { PredictionRule } from '../../engine/train/predictionRule';
import { lossPredictionRule, MARGIN_LOSSES, predictLabels } from '../../engine/train/predictionRule';
import { featureSize } from '../../engine/train/dataset';
import { confusionMatrix } from '../../engine/train/metrics';
import { tensor } from '../../engine/tensor/create';
import { tidy } from '../../engine/tensor/scope';
import type { Tensor } from '../../engine/tensor/tensor';
import type { ProjectData } from './projectData';
import { batchFor } from './projectData';
import { SessionError } from './workerErrors';

interface ScoreSource {
  /** The node and port whose output the first loss scores. */
  source: string;
  port: string;
  /** The label kind of the loss's target. */
  kind: string;
  /** How the loss's scores become labels (the training loop's rule); null for regression. */
  rule: PredictionRule | null;
  /** Whether the scores are logits or margins (else they regress the label values). */
  margin: boolean;
  /** The nodes needed to compute the scores, in evaluation order (no Target, no loss). */
  needed: string[];
}

export function scoreSource(model: GraphModel): ScoreSource {
  const loss = model.lossNodes[0];
  const inEdge = loss?.inputEdges['input'];
  const tEdge = loss?.inputEdges['target'];
  if (loss === undefined || inEdge === undefined || tEdge === undefined)
    throw new SessionError(
      'conflict',
      'The graph has no loss with an input and a target, so there is nothing to predict.',
    );
  const kind = model.node(tEdge.source)?.outputTypes[tEdge.sourcePort]?.kind ?? 'real-targets';
  const needed = new Set<string>([inEdge.source]);
  for (let i = model.nodes.length - 1; i >= 0; i--) {
    const n = model.nodes[i];
    if (!needed.has(n.id)) continue;
    for (const e of Object.values(n.inputEdges)) needed.add(e.source);
  }
  return {
    source: inEdge.source,
    port: inEdge.sourcePort,
    kind,
    rule: lossPredictionRule(loss),
    margin: MARGIN_LOSSES.has(loss.def.type),
    needed: model.nodes.filter((n) => needed.has(n.id)).map((n) => n.id),
  };
}

/** Scores for a batch of inputs (no targets), in eval mode and without gradients. */
function scores<T>(
  model: GraphModel,
  src: ScoreSource,
  inputs: Record<string, Tensor>,
  read: (scores: Tensor) => T,
): T {
  return tidy(() =>
    noGrad(() => {
      const wasTraining = model.training;
      model.train(false);
      try {
        const values: NodeValues = new Map();
        for (const id of src.needed) values.set(id, model.evaluate(model.node(id)!, values, inputs));
        return read(values.get(src.source)![src.port]);
      } finally {
        model.train(wasTraining);
      }
    }),
  );
}

/** Predicted class per sample (0/1 for the two binary label kinds), and a confidence in [0, 1]. */
function labelsOf(s: Tensor, src: ScoreSource, n: number): { labels: number[]; confidence: number[] } {
  const d = s.data;
  const rule = src.rule;
  if (rule === null)
    throw new SessionError('conflict', 'This graph does regression (real targets): it predicts values, not classes.');
  if (rule.type === 'threshold' && d.length !== n)
    throw new SessionError(
      'conflict',
      `The loss input has ${d.length / n} values per sample; a binary prediction needs one.`,
    );
  // The labels are the training loop's (predictionRule.ts), so the plots agree with the accuracy.
  const predicted = predictLabels(s, rule);
  const labels = Array.from(predicted.data, (v) => (rule.type === 'threshold' ? (v === rule.positive ? 1 : 0) : v));
  predicted.dispose();
  const confidence: number[] = [];
  if (rule.type === 'argmax') {
    const c = d.length / n;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let j = 0; j < c; j++) max = Math.max(max, d[i * c + j]);
      // Softmax probability of the winner. NOTE: exponents shifted by the max so none overflows.
      let z = 0;
      for (let j = 0; j < c; j++) z += Math.exp(d[i * c + j] - max);
      confidence.push(1 / z);
    }
  } else {
    for (let i = 0; i < n; i++) {
      // A logit's probability is σ(score); a score regressing the two label values is read as
      // the probability of the positive one (clamped to [0, 1]): both are ≥ 0.5 on the side predicted.
      const p = src.margin
        ? 1 / (1 + Math.exp(-d[i]))
        : Math.min(1, Math.max(0, (d[i] - rule.negative) / (rule.positive - rule.negative)));
      confidence.push(labels[i] === 1 ? p : 1 - p);
    }
  }
  return { labels, confidence };
}

export interface GridRequest {
  resolution: number;
  xMin?: number;
  xMax?: number;
  yMin?: number;
  yMax?: number;
}

/** The predicted class on a resolution × resolution grid over the plane of a 2-D input (rows: y from yMin up). */
export function decisionGrid(model: GraphModel, data: ProjectData | null, req: GridRequest) {
  const input = model.inputNodes[0];
  const shape = input?.outputTypes.out.shape.slice(1) ?? [];
  if (model.inputNodes.length !== 1 || shape.length !== 1 || shape[0] !== 2) {
    throw new SessionError(
      'conflict',
      'A decision boundary can be drawn only for one Input of 2 features (points in the plane).',
    );
  }
  const src = scoreSource(model);
  let [xMin, xMax, yMin, yMax] = [-1, 1, -1, 1];
  if (data !== null && featureSize(data.dataset) === 2 && data.dataset.n > 0) {
    const xs = data.dataset.x;
    [xMin, xMax, yMin, yMax] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < data.dataset.n; i++) {
      xMin = Math.min(xMin, xs[2 * i]);
      xMax = Math.max(xMax, xs[2 * i]);
      yMin = Math.min(yMin, xs[2 * i + 1]);
      yMax = Math.max(yMax, xs[2 * i + 1]);
    }
    const px = (xMax - xMin) * 0.1 || 1;
    const py = (yMax - yMin) * 0.1 || 1;
    [xMin, xMax, yMin, yMax] = [xMin - px, xMax + px, yMin - py, yMax + py];
  }
  xMin = req.xMin ?? xMin;
  xMax = req.xMax ?? xMax;
  yMin = req.yMin ?? yMin;
  yMax = req.yMax ?? yMax;
  if (!(xMax > xMin && yMax > yMin))
    throw new SessionError('invalid-request', 'The grid needs xMin < xMax and yMin < yMax.');
  const r = req.resolution;
  const pts: number[] = [];
  for (let j = 0; j < r; j++) {
    const y = yMin + ((yMax - yMin) * (j + 0.5)) / r;
    for (let i = 0; i < r; i++) pts.push(xMin + ((xMax - xMin) * (i + 0.5)) / r, y);
  }
  const x = tensor(pts, [r * r, 2], { dtype: model.dtype });
  try {
    const { labels, confidence } = scores(model, src, { [input.id]: x }, (s) => labelsOf(s, src, r * r));
    return { resolution: r, xMin, xMax, yMin, yMax, labels, confidence };
  } finally {
    x.dispose();
  }
}

/** Counts m[true][predicted] over a split of the project's data set. */
export function splitConfusion(model: GraphModel, data: ProjectData, split: 'train' | 'dev' | 'test') {
  const src = scoreSource(model);
  const idx = data.split[split];
  const numClasses = src.kind === 'class-labels' ? (data.dataset.numClasses ?? 0) : 2;
  if (numClasses < 2) throw new SessionError('conflict', 'A confusion matrix needs a classification data set.');
  const truth: number[] = [];
  const pred: number[] = [];
  const input = model.inputNodes[0];
  for (let s = 0; s < idx.length; s += 512) {
    const chunk = idx.slice(s, s + 512);
    const batch = batchFor(model, data.dataset, chunk);
    try {
      const { labels } = scores(model, src, { [input.id]: batch[input.id] }, (t) => labelsOf(t, src, chunk.length));
      pred.push(...labels);
      for (const k of chunk) truth.push(data.dataset.y[k]);
    } finally {
      for (const t of Object.values(batch)) t.dispose();
    }
  }
  return { split, numClasses, matrix: confusionMatrix(pred, truth, numClasses), samples: idx.length };
}

const CURVE_POINTS_PER_SPLIT = 400;

/**
 * The fitted curve of a regression on one feature: the prediction at `resolution` inputs spread
 * over the data's range (10% margin), and the train and dev samples (at most 400 of each) in the
 * model's input space (standardised when the settings ask), so the plot needs no statistics of its own.
 */
export function fittedCurve(model: GraphModel, data: ProjectData, resolution: number) {
  const input = model.inputNodes[0];
  const shape = input?.outputTypes.out.shape.slice(1) ?? [];
  if (model.inputNodes.length !== 1 || shape.reduce((a, b) => a * b, 1) !== 1)
    throw new SessionError('conflict', 'A fitted curve can be drawn only for one Input of 1 feature.');
  const ds = data.dataset;
  if (featureSize(ds) !== 1 || ds.task !== 'regression' || ds.y.length !== ds.n)
    throw new SessionError('conflict', 'A fitted curve needs a regression data set with one feature and one target.');
  const src = scoreSource(model);
  let [xMin, xMax] = [Infinity, -Infinity];
  for (let i = 0; i < ds.n; i++) [xMin, xMax] = [Math.min(xMin, ds.x[i]), Math.max(xMax, ds.x[i])];
  if (!(xMax > xMin)) [xMin, xMax] = [xMin - 1, xMin + 1];
  const pad = (xMax - xMin) * 0.1;
  [xMin, xMax] = [xMin - pad, xMax + pad];
  const xs = Array.from({ length: resolution }, (_, i) => xMin + ((xMax - xMin) * i) / (resolution - 1));
  const x = tensor(xs, [resolution, ...shape], { dtype: model.dtype });
  let ys: number[];
  try {
    ys = scores(model, src, { [input.id]: x }, (s) => {
      if (s.size !== resolution)
        throw new SessionError(
          'conflict',
          `The loss input has ${s.size / resolution} values per sample; a fitted curve needs one.`,
        );
      return Array.from(s.data, Number);
    });
  } finally {
    x.dispose();
  }
  // Evenly spaced samples of a split (its order is already shuffled by the split's seed).
  const sample = (idx: ArrayLike<number>) => {
    const count = Math.min(idx.length, CURVE_POINTS_PER_SPLIT);
    return Array.from({ length: count }, (_, j) => {
      const k = idx[Math.floor((j * idx.length) / count)];
      return { x: ds.x[k], y: ds.y[k] };
    });
  };
  return { xs, ys, train: sample(data.split.train), dev: sample(data.split.dev) };
}
