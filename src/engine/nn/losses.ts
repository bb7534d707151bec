import type { Tensor } from '../tensor/tensor';
import { shapeToString, shapesEqual } from '../tensor/shape';
import { empty, tensor } from '../tensor/create';
import { add, div, mul, neg, square, sub } from '../ops/arithmetic';
import { abs } from '../ops/unary';
import { logSoftmax, relu, softplus } from '../ops/activation';
import { max, mean, sum } from '../ops/reduce';
import { nllOfClasses, takeAlongAxis, takeClasses } from '../ops/gather';
import { fusedOpsEnabled } from '../autograd/gradMode';
import type { Indices } from '../ops/gather';
import { toIndexArray } from '../ops/gather';
import { where } from '../ops/compare';
import { reshape } from '../ops/shape';

/** 'mean' averages over the elements (over samples for class losses), 'sum' adds, 'none' keeps them. */
export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  reduction?: Reduction;
}

function reduce(x: Tensor, reduction: Reduction = 'mean'): Tensor {
  if (reduction === 'none') return x;
  if (reduction === 'sum') return sum(x);
  if (reduction === 'mean') return mean(x);
  throw new Error(`Unknown reduction "${String(reduction)}"; use 'mean', 'sum' or 'none'.`);
}

function sameShape(loss: string, input: Tensor, target: Tensor): void {
  if (!shapesEqual(input.shape, target.shape)) {
    throw new Error(
      `${loss}: input ${shapeToString(input.shape)} and target ${shapeToString(target.shape)} must have the same shape.`,
    );
  }
}

function checkLabels(loss: string, target: Tensor, allowed: readonly number[]): void {
  const d = target.data;
  for (let i = 0; i < target.size; i++) {
    if (!allowed.includes(d[i]))
      throw new Error(`${loss}: target element ${i} is ${d[i]}; labels must be ${allowed.join(' or ')}.`);
  }
}

/**
 * Squared error (torch.nn.MSELoss): mean or sum of (x − y)².
 *
 * @example
 * mseLoss(pred, target);   // scalar
 */
export function mseLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  sameShape('mseLoss', input, target);
  return reduce(square(sub(input, target)), opts.reduction);
}

/**
 * Absolute error (torch.nn.L1Loss): |x − y|. NOTE: gradient 0 where x = y, as in PyTorch.
 *
 * @example
 * l1Loss(pred, target, { reduction: 'sum' });
 */
export function l1Loss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  sameShape('l1Loss', input, target);
  return reduce(abs(sub(input, target)), opts.reduction);
}

/**
 * Binary cross-entropy on logits with 0/1 labels (torch.nn.BCEWithLogitsLoss):
 * softplus(w) − y·w = log(1 + e^w) − y·w, stable for any logit; gradient σ(w) − y.
 *
 * @example
 * bceWithLogitsLoss(logits, labels01);
 */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  sameShape('bceWithLogitsLoss', input, target);
  checkLabels('bceWithLogitsLoss', target, [0, 1]);
  return reduce(sub(softplus(input), mul(target, input)), opts.reduction);
}

/**
 * Logistic loss for ±1 labels: log(1 + e^(−y·w)) (the same model as BCE with 0/1 labels).
 *
 * @example
 * logisticLoss(scores, labelsPm1);
 */
export function logisticLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  sameShape('logisticLoss', input, target);
  checkLabels('logisticLoss', target, [-1, 1]);
  return reduce(softplus(neg(mul(target, input))), opts.reduction);
}

/**
 * Binary hinge loss for ±1 labels: max(0, 1 − y·w). NOTE: at the hinge (y·w = 1) the gradient
 * is 0 (relu'(0) = 0).
 *
 * @example
 * hingeLoss(scores, labelsPm1);
 */
export function hingeLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  sameShape('hingeLoss', input, target);
  checkLabels('hingeLoss', target, [-1, 1]);
  return reduce(relu(sub(1, mul(target, input))), opts.reduction);
}

/**
 * Binary hinge loss for 0/1 labels: the ±1 hinge with y = 2t − 1, i.e. max(0, 1 − (2t − 1)·w).
 *
 * @example
 * hingeLoss01(scores, labels01);
 */
export function hingeLoss01(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  sameShape('hingeLoss01', input, target);
  checkLabels('hingeLoss01', target, [0, 1]);
  const pm = sub(mul(target, 2), 1);
  return reduce(relu(sub(1, mul(pm, input))), opts.reduction);
}

/**
 * Perceptron loss for ±1 labels: max(0, −y·w). NOTE: gradient 0 at y·w = 0 (relu'(0) = 0).
 *
 * @example
 * perceptronLoss(scores, labelsPm1);
 */
export function perceptronLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  sameShape('perceptronLoss', input, target);
  checkLabels('perceptronLoss', target, [-1, 1]);
  return reduce(relu(neg(mul(target, input))), opts.reduction);
}

function classTargets(loss: string, input: Tensor, target: Indices, ignoreIndex?: number): Int32Array {
  if (input.rank !== 2) throw new Error(`${loss}: input must be [N, C] scores, got ${shapeToString(input.shape)}.`);
  const idx =
    ignoreIndex === undefined
      ? toIndexArray(target, input.shape[1], `${loss} target`)
      : (validOrIgnored(target, ignoreIndex, input.shape[1]) ??
        withIgnored(target, ignoreIndex, (kept) => toIndexArray(kept, input.shape[1], `${loss} target`)));
  if (idx.length !== input.shape[0]) {
    throw new Error(`${loss}: ${idx.length} targets for ${input.shape[0]} samples.`);
  }
  return idx;
}

/**
 * The class indices of `target` when each is ignoreIndex or an integer in [0, limit); otherwise
 * null, and withIgnored names the offending index. (The common case, in one pass.)
 */
function validOrIgnored(target: Indices, ignoreIndex: number, limit: number): Int32Array | null {
  const src: ArrayLike<number> = 'data' in target ? target.data : target;
  const n = src.length;
  const prev = lastIndices;
  let same = prev.length === n;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (v !== ignoreIndex && (!Number.isInteger(v) || v < 0 || v >= limit)) return null;
    if (same && prev[i] !== v) same = false;
  }
  if (same) return prev;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = src[i];
  lastIndices = out;
  return out;
}

/**
 * The index array validOrIgnored made last. Full-batch training (the course's small data sets)
 * asks for the same targets at every step: the same values give this array again instead of a
 * fresh one. Index arrays are never written after they are made (kernels read
 * them as attributes), so sharing one is safe.
 */
let lastIndices = new Int32Array(0);

/** The class indices of `target`, checked by `check` except where they equal `ignoreIndex`. */
function withIgnored(target: Indices, ignoreIndex: number, check: (kept: number[]) => Int32Array): Int32Array {
  const all = Array.from('data' in target ? target.data : target);
  const kept = check(all.filter((v) => v !== ignoreIndex));
  const out = new Int32Array(all.length);
  let k = 0;
  for (let i = 0; i < all.length; i++) out[i] = all[i] === ignoreIndex ? ignoreIndex : kept[k++];
  return out;
}

function column(idx: Int32Array, dtype: Tensor['dtype']): Tensor {
  const t = empty([idx.length, 1], dtype);
  t.data.set(idx);
  return t;
}

/**
 * Multiclass hinge loss with margin m, per sample max(0, m − w_y + max_{y'≠y} w_{y'})
 * (the course's definition: only the strongest wrong class counts; this is NOT
 * torch.nn.MultiMarginLoss, which averages over all wrong classes). Needs C ≥ 2.
 * NOTE: ties in the max split the gradient equally; at the hinge the gradient is 0.
 *
 * @example
 * multiMarginLoss(scores, [2, 0, 1], { margin: 1 });
 */
export function multiMarginLoss(input: Tensor, target: Indices, opts: LossOptions & { margin?: number } = {}): Tensor {
  const idx = classTargets('multiMarginLoss', input, target);
  if (input.shape[1] < 2) throw new Error(`multiMarginLoss needs at least 2 classes, got ${input.shape[1]}.`);
  const m = opts.margin ?? 1;
  const col = column(idx, input.dtype);
  const wy = takeAlongAxis(input, col, 1);
  const onehot = tensor(
    Array.from({ length: input.size }, (_, i) => (i % input.shape[1] === idx[Math.floor(i / input.shape[1])] ? 1 : 0)),
    input.shape,
    { dtype: input.dtype },
  );
  const others = where(onehot, -Infinity, input);
  const worst = max(others, 1, true);
  const per = relu(add(sub(m, wy), worst));
  return reduce(reshape(per, [idx.length]), opts.reduction);
}

/** Class losses that skip padding: targets equal to `ignoreIndex` add nothing (torch's `ignore_index`). */
export interface ClassLossOptions extends LossOptions {
  /** Targets with this value are ignored; PyTorch's default is −100. */
  ignoreIndex?: number;
}

/**
 * Cross-entropy from logits with class-index targets (torch.nn.CrossEntropyLoss):
 * −log softmax(w)_y, via a stable log-softmax. Targets equal to `ignoreIndex` are skipped and
 * `mean` averages over the others (0/0 = NaN when every target is ignored, as in PyTorch).
 *
 * @example
 * crossEntropyLoss(logits, [2, 0, 1]);
 * crossEntropyLoss(logits, [2, 0, -100], { ignoreIndex: -100 });   // the mean of two losses
 */
export function crossEntropyLoss(input: Tensor, target: Indices, opts: ClassLossOptions = {}): Tensor {
  // NOTE: log-softmax keeps the [N, C] shape, so the targets checked here are nllLoss's too.
  return nllOfIndices(logSoftmax(input, 1), classTargets('crossEntropyLoss', input, target, opts.ignoreIndex), opts);
}

/**
 * Negative log-likelihood of log-probabilities with class-index targets (torch.nn.NLLLoss): −w_y.
 * Targets equal to `ignoreIndex` are skipped (loss 0 under `none`), and `mean` divides by the
 * number of targets kept.
 *
 * @example
 * nllLoss(logSoftmax(logits, 1), [2, 0, 1]);
 */
export function nllLoss(input: Tensor, target: Indices, opts: ClassLossOptions = {}): Tensor {
  return nllOfIndices(input, classTargets('nllLoss', input, target, opts.ignoreIndex), opts);
}

/** nllLoss of [N, C] log-probabilities at class indices already checked by classTargets. */
function nllOfIndices(input: Tensor, idx: Int32Array, opts: ClassLossOptions): Tensor {
  let ignored = 0;
  if (opts.ignoreIndex !== undefined) for (let i = 0; i < idx.length; i++) if (idx[i] === opts.ignoreIndex) ignored++;
  if (ignored === 0) {
    // NOTE: one NllLoss kernel call for the five below, with their bits (its tests compare them);
    // the step session's tape keeps the elementary ops.
    const r = opts.reduction ?? 'mean';
    if ((r === 'mean' || r === 'sum') && idx.length > 0 && fusedOpsEnabled()) {
      return nllOfClasses(input, idx, r);
    }
    const picked = takeClasses(input, idx);
    return reduce(neg(reshape(picked, [idx.length])), opts.reduction);
  }
  // NOTE: an ignored row picks class 0 and is multiplied by 0, so it adds nothing to the loss and
  // receives a zero gradient; `mean` is the sum over the kept rows divided by their count.
  const keep = Array.from(idx, (v) => (v === opts.ignoreIndex ? 0 : 1));
  const safe = Int32Array.from(idx, (v) => (v === opts.ignoreIndex ? 0 : v));
  const picked = reshape(takeClasses(input, safe), [idx.length]);
  const per = neg(mul(picked, tensor(keep, [idx.length], { dtype: input.dtype })));
  if (opts.reduction === 'mean' || opts.reduction === undefined) return div(sum(per), idx.length - ignored);
  return reduce(per, opts.reduction);
}
