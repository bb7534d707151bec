// Losses side by side: a loss node's loss and its slope over one axis (the margin, the class
// margin or the residual), beside the course's other losses, every value computed by the
// engine's own loss ops; and the step batch's examples as points on those curves.
import type { LossView } from '../../shared/api/session';
import { grad } from '../autograd/backward';
import { sum } from '../ops/reduce';
import { tensor } from '../tensor/create';
import { tidy } from '../tensor/scope';
import type { Tensor } from '../tensor/tensor';
import { CLASS_LOSSES, ELEMENT_LOSSES } from './builders/losses';
import type { CompiledNode } from './compile';

type Curve = LossView['curves'][number];
type Point = LossView['points'] & object;

/** Per-element loss of scores w against labels y (reduction 'none'), the engine's op. */
type ElementOp = (w: Tensor, y: Tensor) => Tensor;
/** Per-row loss of N×C scores against class indices (reduction 'none'). */
type ClassOp = (w: Tensor, y: number[]) => Tensor;

const NONE = { reduction: 'none' } as const;
type ElementType = keyof typeof ELEMENT_LOSSES;
/** The op a node of an element-loss type runs (the builders' table), with reduction 'none'. */
const elementOp =
  (type: ElementType): ElementOp =>
  (w, y) =>
    ELEMENT_LOSSES[type](w, y, NONE);

/** How many examples are drawn at most (a glance, not a table: the inspector has every value). */
export const MAX_LOSS_POINTS = 512;
const SAMPLES = 241;

/**
 * A loss and ∂loss/∂w for each w, one element at a time: `op` applied to the float64 leaf `w`
 * (reduction 'none'), the slope from the engine's backward pass over the sum (each element's
 * loss depends on its own w only).
 */
function elementwise(op: ElementOp, ws: readonly number[], ys: readonly number[]): { loss: number[]; slope: number[] } {
  return tidy(() => {
    const w = tensor(ws as number[], [ws.length], { dtype: 'float64', requiresGrad: true });
    const y = tensor(ys as number[], [ys.length], { dtype: 'float64' });
    const l = op(w, y);
    // Each element's loss depends on its own w only, so ∂(Σℓ)/∂w_i is ℓ_i's own slope.
    const [g] = grad(sum(l), [w]);
    return { loss: Array.from(l.data), slope: Array.from(g.data) };
  });
}

/** Per-row class losses of N×C scores and ∂ℓ_i/∂w_{i,y_i}, the slope on each row's own class. */
function classwise(
  op: ClassOp,
  scores: Tensor | number[][],
  ys: readonly number[],
): { loss: number[]; slope: number[] } {
  return tidy(() => {
    const flat = Array.isArray(scores) ? scores.flat() : Array.from(scores.data);
    const c = Array.isArray(scores) ? (scores[0]?.length ?? 0) : scores.shape[1];
    const w = tensor(flat, [ys.length, c], { dtype: 'float64', requiresGrad: true });
    const l = op(w, ys as number[]);
    const [g] = grad(sum(l), [w]);
    const gd = g.data;
    return { loss: Array.from(l.data), slope: ys.map((y, i) => gd[i * c + y]) };
  });
}

/** x from lo to hi in SAMPLES steps. */
function grid(lo: number, hi: number): number[] {
  return Array.from({ length: SAMPLES }, (_, i) => lo + ((hi - lo) * i) / (SAMPLES - 1));
}

/** The 0/1 loss: a mistake when the margin is not positive (sign(0) is no decision). */
const zeroOne = (xs: readonly number[]): Curve => ({
  id: 'zero-one',
  label: '0/1 loss',
  chosen: false,
  loss: xs.map((m) => (m <= 0 ? 1 : 0)),
  slope: xs.map(() => 0),
});

function curve(id: string, label: string, chosen: boolean, v: { loss: number[]; slope: number[] }): Curve {
  return { id, label, chosen, ...v };
}

/** Where the examples and the interesting part of the curves lie: [−3, 3] widened to the points (at most ±50). */
function range(xs: readonly number[], base: number): [number, number] {
  let lo = -base;
  let hi = base;
  // An example beyond the usual window widens it, with a little room so its dot is not on the frame.
  for (const x of xs) {
    if (!Number.isFinite(x)) continue;
    if (x < lo) lo = x - 0.1 * base;
    if (x > hi) hi = x + 0.1 * base;
  }
  return [Math.max(-50, lo), Math.min(50, hi)];
}

/** The batch's values at the loss node, if the forward pass has reached it. */
export interface LossInputs {
  readonly scores: Tensor;
  readonly targets: Tensor;
}

/**
 * The loss view of a compiled loss node. `inputs` are the tensors on its input and target edges
 * (absent before the forward pass reached it): its examples become points, at most
 * {@link MAX_LOSS_POINTS} of them.
 *
 * @example
 * lossView(model.node('loss')!, { scores: s.activation('e3')!, targets: s.activation('e4')! });
 */
export function lossView(node: CompiledNode, inputs: LossInputs | null): LossView {
  const type = node.def.type;
  if (Object.hasOwn(CLASS_LOSSES, type)) return classView(node, inputs);
  if (!Object.hasOwn(ELEMENT_LOSSES, type)) throw new Error(`${node.def.title} "${node.id}" is not a loss node.`);
  const op = elementOp(type as ElementType);
  const kind = node.inputTypes.target?.kind ?? 'real-targets';
  if (kind === 'real-targets') return residualView(node, op, inputs);
  return marginView(node, op, kind === 'binary-labels' ? [1, 0] : [1, -1], inputs);
}

/** Binary labels: every loss against the margin m = s·w, s = y (±1 labels) or 2y − 1 (0/1 labels). */
function marginView(node: CompiledNode, op: ElementOp, labels: readonly number[], inputs: LossInputs | null): LossView {
  const sign = (y: number) => (labels.includes(0) ? 2 * y - 1 : y);
  const n = inputs ? Math.min(inputs.scores.size, MAX_LOSS_POINTS) : 0;
  const ys = inputs ? Array.from(inputs.targets.data.subarray(0, n)) : [];
  const ms = inputs ? Array.from(inputs.scores.data.subarray(0, n), (w, i) => sign(ys[i]) * w) : [];
  const xs = grid(...range(ms, 3));
  const ones = xs.map(() => 1);
  // The chosen loss under each label, at w = s·m (so the same margin); one curve when they agree.
  const own = labels.map((y) => {
    const s = sign(y);
    const v = elementwise(
      op,
      xs.map((m) => s * m),
      xs.map(() => y),
    );
    return { y, loss: v.loss, slope: v.slope.map((g) => s * g) };
  });
  const agree = own.every((c) => c.loss.every((v, i) => Math.abs(v - own[0].loss[i]) <= 1e-12 * (1 + Math.abs(v))));
  const title = node.def.title;
  const chosen = agree
    ? [curve('chosen', title, true, own[0])]
    : own.map((c) => curve(`chosen-y${c.y}`, `${title}, y = ${c.y}`, true, c));
  const compare = [
    zeroOne(xs),
    curve('perceptron', 'perceptron max(0, −m)', false, elementwise(elementOp('PerceptronLoss'), xs, ones)),
    curve('hinge', 'hinge max(0, 1 − m)', false, elementwise(elementOp('HingeLoss'), xs, ones)),
    curve('logistic', 'logistic log(1 + e^(−m))', false, elementwise(elementOp('LogisticLoss'), xs, ones)),
    curve('squared', 'squared (1 − m)²', false, elementwise(elementOp('MSELoss'), xs, ones)),
  ].filter((c) => !chosen.some((k) => sameValues(k.loss, c.loss)));
  let points: Point | null = null;
  if (inputs) {
    const ws = Array.from(inputs.scores.data.subarray(0, n));
    const v = elementwise(op, ws, ys);
    points = ms.map((m, i) => ({ row: i, label: ys[i], x: m, loss: v.loss[i], slope: sign(ys[i]) * v.slope[i] }));
  }
  const labelWords = labels.includes(0) ? 'labels 0/1, so s = 2y − 1' : 'labels ±1, so s = y';
  return {
    nodeId: node.id,
    lossType: node.def.type,
    axis: 'margin',
    xLabel: 'margin m = s·w',
    slopeLabel: '∂ℓ/∂m',
    xs,
    curves: [...chosen, ...compare],
    points,
    rows: inputs?.scores.size ?? 0,
    note: `The margin m = s·w is positive when the example is on the right side (${labelWords}); ∂ℓ/∂w = s·∂ℓ/∂m. Where the slope is 0 the example no longer pushes the weights.`,
  };
}

/** Regression: the loss against the residual r = w − y, beside squared and absolute error. */
function residualView(node: CompiledNode, op: ElementOp, inputs: LossInputs | null): LossView {
  const n = inputs ? Math.min(inputs.scores.size, MAX_LOSS_POINTS) : 0;
  const ws = inputs ? Array.from(inputs.scores.data.subarray(0, n)) : [];
  const ys = inputs ? Array.from(inputs.targets.data.subarray(0, n)) : [];
  const rs = ws.map((w, i) => w - ys[i]);
  const xs = grid(...range(rs, 2));
  const zeros = xs.map(() => 0);
  const chosen = curve('chosen', node.def.title, true, elementwise(op, xs, zeros));
  const others = [
    curve('squared', 'squared r²', false, elementwise(elementOp('MSELoss'), xs, zeros)),
    curve('absolute', 'absolute |r|', false, elementwise(elementOp('L1Loss'), xs, zeros)),
  ].filter((c) => !sameValues(c.loss, chosen.loss));
  let points: Point | null = null;
  if (inputs) {
    const v = elementwise(op, ws, ys);
    points = rs.map((r, i) => ({ row: i, label: ys[i], x: r, loss: v.loss[i], slope: v.slope[i] }));
  }
  return {
    nodeId: node.id,
    lossType: node.def.type,
    axis: 'residual',
    xLabel: 'residual r = w − y',
    slopeLabel: '∂ℓ/∂w',
    xs,
    curves: [chosen, ...others],
    points,
    rows: inputs?.scores.size ?? 0,
    note: 'The squared error pushes in proportion to the residual, so an outlier pushes hardest; the absolute error pushes every example equally hard (slope ±1).',
  };
}

/** Multiclass: per row, the class margin m = w_y − max_{y'≠y} w_{y'} and ∂ℓ/∂w_y. */
function classView(node: CompiledNode, inputs: LossInputs | null): LossView {
  const type = node.def.type;
  const margin = typeof node.params.margin === 'number' ? node.params.margin : 1;
  const ignore = typeof node.params.ignore_index === 'number' ? node.params.ignore_index : undefined;
  const hinge: ClassOp = (w, y) => CLASS_LOSSES.MulticlassHingeLoss(w, y, { ...NONE, margin });
  const ce: ClassOp = (w, y) => CLASS_LOSSES.CrossEntropyLoss(w, y, NONE);
  const nll: ClassOp = (w, y) => CLASS_LOSSES.NLLLoss(w, y, NONE);
  const own = type === 'MulticlassHingeLoss' ? hinge : type === 'CrossEntropyLoss' ? ce : nll;
  const c = inputs ? inputs.scores.shape[inputs.scores.rank - 1] : (node.inputTypes.input?.shape.at(-1) ?? 2);
  const classes = Math.max(2, c);

  const rowsScores: number[][] = [];
  const rowsY: number[] = [];
  const rowIds: number[] = [];
  let total = 0;
  if (inputs) {
    const sd = inputs.scores.data;
    const td = inputs.targets.data;
    total = td.length;
    for (let i = 0; i < td.length && rowsY.length < MAX_LOSS_POINTS; i++) {
      if (ignore !== undefined && td[i] === ignore) continue;
      rowsScores.push(Array.from(sd.subarray(i * classes, (i + 1) * classes)));
      rowsY.push(td[i]);
      rowIds.push(i);
    }
  }
  const ms = rowsScores.map((row, i) => row[rowsY[i]] - Math.max(...row.filter((_, k) => k !== rowsY[i])));
  const xs = grid(...range(ms, 4));
  // Rows of scores with margin m: [m, 0] (two classes), [m, 0, …, 0] (C classes, every rival tied).
  const two = xs.map((m) => [m, 0]);
  const tied = xs.map((m) => [m, ...Array<number>(classes - 1).fill(0)]);
  const zerosY = xs.map(() => 0);
  const curves: Curve[] = [];
  if (type === 'MulticlassHingeLoss') {
    curves.push(curve('chosen', `${node.def.title} (margin ${margin})`, true, classwise(hinge, two, zerosY)));
  } else {
    const lower = classwise(ce, two, zerosY);
    curves.push(curve('chosen', `${node.def.title}, one rival: log(1 + e^(−m))`, true, lower));
    if (classes > 2)
      curves.push(
        curve('chosen-tied', `${node.def.title}, ${classes - 1} tied rivals`, true, classwise(ce, tied, zerosY)),
      );
  }
  curves.push(zeroOne(xs));
  if (type !== 'MulticlassHingeLoss')
    curves.push(curve('hinge', `multiclass hinge (margin ${margin})`, false, classwise(hinge, two, zerosY)));
  else curves.push(curve('cross-entropy', 'cross-entropy, one rival', false, classwise(ce, two, zerosY)));

  let points: Point | null = null;
  if (inputs) {
    const v = rowsY.length > 0 ? classwise(own, rowsScores, rowsY) : { loss: [], slope: [] };
    points = ms.map((m, i) => ({ row: rowIds[i], label: rowsY[i], x: m, loss: v.loss[i], slope: v.slope[i] }));
  }
  const ceNote =
    type === 'MulticlassHingeLoss'
      ? 'Once the correct class wins by the margin the loss and its slope are 0: that example stops pushing.'
      : type === 'NLLLoss'
        ? 'NLL reads log-probabilities: on them it equals the cross-entropy, between the one-rival and the tied-rivals curves. Its own slope on the correct class is −1; the LogSoftmax before it turns that into p_y − 1.'
        : 'Cross-entropy depends on every score: with margin m it lies between the one-rival curve and the tied-rivals curve. Its slope on the correct class is p_y − 1: it never stops pushing, only weakens.';
  return {
    nodeId: node.id,
    lossType: type,
    axis: 'class-margin',
    xLabel: "class margin m = w_y − max_{y'≠y} w_y'",
    slopeLabel: '∂ℓ/∂w_y',
    xs,
    curves,
    points,
    rows: total,
    note: ceNote,
  };
}

function sameValues(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= 1e-12 * (1 + Math.abs(v)));
}
