// Whether a data set fits a graph's Input and Target nodes, from their declared types alone: the
// check the training runtime makes before it trains (runtime/trainingData.ts) and the one the
// editor shows on the Input node while the user wires (it has the validator's types, not a model).
import type { PortKind, TensorType } from './nodeType';
import { PORT_KIND_LABELS } from './nodeType';
import { formatShape } from './shape';

/** What the check needs to know of a data set: no samples, only their shapes and kind. */
export interface DataDescription {
  readonly name: string;
  readonly task: 'classification' | 'regression';
  readonly featureShape: readonly number[];
  readonly targetShape: readonly number[];
  readonly numClasses?: number | null;
}

/** A data node of the graph and the type of its output (with the batch dimension first). */
export interface DataNode {
  readonly id: string;
  readonly out: TensorType;
}

/** A reason the data do not fit the graph, naming the node at fault. */
export interface DataMismatch {
  readonly message: string;
  readonly nodeId?: string;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Checks that a data set fits the graph: one Input taking its features, at most one Target taking
 * its labels in a kind the data can give. Returns null when it fits.
 *
 * @example
 * dataFitProblem([{ id: 'x', out: { shape: [-1, 2], kind: 'tensor' } }], [], digits);
 * // { nodeId: 'x', message: 'Input "x" takes 2 = 2 features, but the data set "digits" has 64 (1×8×8)' }
 */
export function dataFitProblem(
  inputs: readonly DataNode[],
  targets: readonly DataNode[],
  data: DataDescription,
): DataMismatch | null {
  const [input, ...moreInputs] = inputs;
  if (!input || moreInputs.length > 0)
    return { message: `training needs exactly one Input node, but the graph has ${inputs.length}` };
  const xShape = input.out.shape.slice(1);
  const features = sizeOf(data.featureShape);
  if (sizeOf(xShape) !== features)
    return {
      nodeId: input.id,
      message: `Input "${input.id}" takes ${formatShape(xShape)} = ${sizeOf(xShape)} features, but the data set "${data.name}" has ${features} (${formatShape(data.featureShape)})`,
    };
  if (targets.length > 1)
    return { message: `training needs at most one Target node, but the graph has ${targets.length}` };
  const target = targets[0];
  if (!target) return null;
  const yType = target.out;
  if (sizeOf(yType.shape.slice(1)) !== sizeOf(data.targetShape))
    return {
      nodeId: target.id,
      message: `Target "${target.id}" takes ${formatShape(yType.shape)} per batch, but the data set "${data.name}" has ${sizeOf(data.targetShape)} target value(s) per sample`,
    };
  const kind = yType.kind;
  if (data.task === 'regression' && kind !== 'real-targets')
    return {
      nodeId: target.id,
      message: `the data set "${data.name}" is a regression set, but Target "${target.id}" expects ${PORT_KIND_LABELS[kind]}`,
    };
  if (
    data.task === 'classification' &&
    (kind === 'pm1-labels' || kind === 'binary-labels') &&
    (data.numClasses ?? 0) > 2
  )
    return {
      nodeId: target.id,
      message: `the data set "${data.name}" has ${data.numClasses} classes, but Target "${target.id}" expects binary labels`,
    };
  return null;
}

/** The Input shape, Target kind and shape, and output width that would make a graph take a data set. */
export interface DataFitOffer {
  readonly inputShape: readonly number[];
  readonly targetKind: Extract<PortKind, 'class-labels' | 'pm1-labels' | 'binary-labels' | 'real-targets'>;
  readonly targetShape: readonly number[];
  /** Scores the loss needs per sample: C classes, 1 for binary labels, the target's size for regression. */
  readonly outputs: number;
}

/**
 * What to set so that a graph takes a data set. An Input that takes as many features as the data
 * has is kept as it is (the runtime reshapes); otherwise a flat Input (one size, as an MLP wants) gets the
 * features flattened; a shaped one (a CNN's C×H×W) gets the data's shape. Binary labels keep the
 * kind the Target already uses when it can hold two classes; class labels take the data's own
 * target shape (none for one label per sample, T for a label per position of a sequence).
 */
export function dataFitOffer(
  currentInput: readonly number[] | null,
  currentTarget: { kind: PortKind; shape: readonly number[] } | null,
  data: DataDescription,
): DataFitOffer {
  const flat = currentInput !== null && currentInput.length === 1;
  // An Input of the data's size already fits, whatever its shape (a CNN's 1×8×8 on 64 digits pixels).
  const fits = currentInput !== null && sizeOf(currentInput) === sizeOf(data.featureShape);
  const inputShape = fits
    ? [...currentInput]
    : flat || data.featureShape.length === 0
      ? [sizeOf(data.featureShape)]
      : [...data.featureShape];
  if (data.task === 'regression')
    return {
      inputShape,
      targetKind: 'real-targets',
      targetShape: [...data.targetShape],
      outputs: sizeOf(data.targetShape),
    };
  const classes = data.numClasses ?? 2;
  const binaryKind =
    currentTarget && (currentTarget.kind === 'pm1-labels' || currentTarget.kind === 'binary-labels')
      ? currentTarget.kind
      : null;
  if (classes <= 2 && binaryKind) return { inputShape, targetKind: binaryKind, targetShape: [1], outputs: 1 };
  // One class index per sample, or one per position for a sequence set (the toy translation's T).
  return { inputShape, targetKind: 'class-labels', targetShape: [...data.targetShape], outputs: classes };
}
