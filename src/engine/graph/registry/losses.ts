import type { EmitContext, EmitResult } from '../emit';
import type { InferResult, PortKind, TensorType } from '../nodeType';
import { PORT_KIND_LABELS, defineNodeType } from '../nodeType';
import { defineParams, enumParam, floatParam, intParam } from '../params';
import { shapesEqual } from '../shape';
import { FLOAT_KINDS, R, fail, fmt, inPort, ok, tsArg, tsImport, tsLit } from './common';
import { kernels, port, scratch, lastDimOf } from './scratch';

export type Reduction = 'mean' | 'sum';
const reduction = enumParam({
  label: 'Reduction',
  help: 'Average the per-sample losses over the batch, or add them up.',
  default: 'mean',
  values: ['mean', 'sum'] as const,
  options: { mean: 'Mean', sum: 'Sum' },
});
const reductionParams = defineParams<{ reduction: Reduction }>({ reduction });
const marginParams = defineParams<{ reduction: Reduction; margin: number }>({
  reduction,
  margin: floatParam({
    label: 'Margin',
    help: 'The margin m the correct class must beat every other class by.',
    default: 1,
    min: 0,
    max: 100,
    step: 0.1,
  }),
});
/** PyTorch's default `ignore_index`: no class has it, so nothing is ignored. */
export const DEFAULT_IGNORE_INDEX = -100;
const ignoreParams = defineParams<{ reduction: Reduction; ignore_index: number }>({
  reduction,
  ignore_index: intParam({
    label: 'Ignore index',
    help: 'Targets with this class index (e.g. the padding token of sequences) add nothing to the loss, and the mean is over the other targets. −100, PyTorch’s default, ignores nothing.',
    default: DEFAULT_IGNORE_INDEX,
    min: -1000000,
    max: 1 << 20,
  }),
});

/** How the target relates to the input: per element (same shape) or one class index per row of scores. */
type Pairing = 'elementwise' | 'classes';

/** The scalar loss lives on the node, not on an edge: losses have no output port. */
export const LOSS_VALUE = 'loss';

function checkPair(title: string, pairing: Pairing, x: TensorType | undefined, y: TensorType | undefined): InferResult {
  if (!x) return fail('the input port is not connected', 'input');
  if (!y) return fail('the target port is not connected', 'target');
  if (pairing === 'classes') {
    if (x.shape.length < 2) return fail(`${title} needs scores N×C on its input port, but receives ${fmt(x)}`, 'input');
    if (!shapesEqual(x.shape.slice(0, -1), y.shape))
      return fail(
        `${title} needs one class index per row of scores: input is ${fmt(x)}, so the target should be ${fmt(x.shape.slice(0, -1))}, but it is ${fmt(y)}`,
        'target',
      );
  } else if (!shapesEqual(x.shape, y.shape) && !shapesEqual(x.shape, [...y.shape, 1])) {
    return fail(
      `${title} needs the input and the target to have the same shape: input is ${fmt(x)}, target is ${fmt(y)}`,
      'target',
    );
  }
  return ok({});
}

interface LossSpec<P, T extends string> {
  type: T;
  title: string;
  description: string;
  targets: readonly PortKind[];
  pairing: Pairing;
  /** The per-sample loss in LaTeX, in terms of the score w (or scores w) and label y. */
  perSample: (p: P) => string;
  summary?: (p: P) => string;
  /** PyTorch: the scalar loss from scores z and targets y (already shaped like z for elementwise losses). */
  python: (z: string, y: string, p: P, ctx: EmitContext<P>) => string;
  /** TypeScript: the engine's loss function of nn/losses, e.g. `mseLoss`. */
  ts: string;
  /**
   * PyTorch's function takes sequence scores as N×C×T (classes second) with N×T targets: the
   * emitted code transposes N×T×C scores to that layout instead of flattening them to rows.
   */
  torchSequences?: boolean;
  /** From scratch: the loss's kind in the `elementwiseLoss` or `classesLoss` kernel, and ∂ℓ/∂w in the course's notation. */
  scratch: { kind: string; slope: string };
}

function lossNode<P extends { reduction: Reduction; ignore_index?: number }, const T extends string>(
  spec: LossSpec<P, T>,
  params: ReturnType<typeof defineParams<P>>,
) {
  return defineNodeType<P, T>({
    type: spec.type,
    title: spec.title,
    family: 'Losses',
    description: spec.description,
    inputs: [
      {
        ...inPort('input', spec.pairing === 'classes' ? 'scores' : 'prediction', FLOAT_KINDS),
        help: 'The scores (logits) or predictions of the network.',
      },
      {
        ...inPort('target', 'target', spec.targets, true, 'target'),
        help: `Expects ${spec.targets.map((k) => PORT_KIND_LABELS[k]).join(' or ')}.`,
      },
    ],
    outputs: [],
    params,
    differentiable: true,
    infer: ({ inputs }) => checkPair(spec.title, spec.pairing, inputs.input, inputs.target),
    formula: ({ params: p, inputs }) => {
      const ignoring = p.ignore_index !== undefined && p.ignore_index !== DEFAULT_IGNORE_INDEX;
      const red = ignoring
        ? `${p.reduction === 'mean' ? '\\frac{1}{|K|}' : ''}\\sum_{i \\in K}`
        : p.reduction === 'mean'
          ? '\\frac{1}{N}\\sum_{i=1}^{N}'
          : '\\sum_{i=1}^{N}';
      const kept = ignoring ? `,\\quad K = \\{i : y_i \\ne ${p.ignore_index}\\}` : '';
      const shapes = inputs.input ? `,\\quad w \\in ${R(inputs.input.shape)}` : '';
      return `L = ${red} ${spec.perSample(p)}${kept}${shapes}`;
    },
    summary: (p) =>
      `${p.reduction}${spec.summary ? `, ${spec.summary(p)}` : ''}${p.ignore_index !== undefined && p.ignore_index !== DEFAULT_IGNORE_INDEX ? `, ignore ${p.ignore_index}` : ''}`,
    emit: {
      python: (ctx): EmitResult => {
        const z = ctx.inputs.input ?? 'None';
        const raw = ctx.inputs.target ?? 'None';
        // NOTE: torch wants sequence scores N×C×T (classes second); ours are N×T×C, so a rank-3
        // input is transposed for the losses that take that layout, and flattened to N·T rows of
        // C scores for the others (the same loss: the mean is over the same targets).
        const seq = spec.torchSequences === true && ctx.inputTypes.input?.shape.length === 3;
        const y =
          spec.pairing === 'elementwise'
            ? `${raw}.reshape(${z}.shape).to(${z}.dtype)`
            : seq
              ? `${raw}.long()`
              : `${raw}.reshape(-1).long()`;
        const scores =
          spec.pairing === 'classes' ? (seq ? `${z}.transpose(1, 2)` : `${z}.reshape(-1, ${z}.shape[-1])`) : z;
        return {
          init: [],
          forward: [`${ctx.lossVar ?? LOSS_VALUE} = ${spec.python(scores, y, ctx.params, ctx)}`],
          imports: ['import torch.nn.functional as F'],
        };
      },
      ts: (ctx): EmitResult => {
        const z = tsArg(ctx, 'input');
        const y = tsArg(ctx, 'target');
        // Same shapes as the runtime's builder: an N target for N×1 scores, N·T rows for sequences.
        const [scores, target] =
          spec.pairing === 'elementwise'
            ? [z, `reshape(${y}, ${z}.shape)`]
            : [`reshape(${z}, [-1, ${z}.shape[${z}.rank - 1]])`, `reshape(${y}, [-1])`];
        const p = ctx.params as P & { margin?: number };
        const margin = p.margin === undefined ? '' : `, margin: ${p.margin}`;
        const ignore = p.ignore_index === undefined ? '' : `, ignoreIndex: ${p.ignore_index}`;
        return {
          init: [],
          forward: [
            `const ${ctx.lossVar ?? LOSS_VALUE} = ${spec.ts}(${scores}, ${target}, { reduction: ${tsLit(p.reduction)}${margin}${ignore} });`,
          ],
          engineImports: [tsImport('nn/losses', spec.ts), tsImport('ops/shape', 'reshape')],
        };
      },
      scratch: (ctx): EmitResult => {
        const w = port(ctx, 'input');
        const y = ctx.inputs.target;
        const mean = ctx.params.reduction === 'mean';
        const loss = ctx.lossVar ?? LOSS_VALUE;
        const kind = tsLit(spec.scratch.kind);
        const scale = mean ? (spec.pairing === 'classes' ? '(1/rows)·' : '(1/n)·') : '';
        const note = `// ∂L/∂w = ${scale}${spec.scratch.slope}`;
        if (spec.pairing === 'elementwise')
          return scratch(
            kernels('elementwiseLoss'),
            [`const ${loss} = elementwiseLoss(${kind}, ${w.v}, ${y}, ${mean});`],
            w.d ? [`elementwiseLossBackward(${kind}, ${w.v}, ${y}, ${mean}, ${w.d}); ${note}`] : [],
          );
        const C = lastDimOf(w.t);
        const margin = (ctx.params as P & { margin?: number }).margin ?? 0;
        const args = `${kind}, ${w.v}, ${y}, ${C}, ${mean}, ${margin}, ${ctx.params.ignore_index ?? DEFAULT_IGNORE_INDEX}`;
        return scratch(
          kernels('classLoss'),
          [`const ${loss} = classesLoss(${args});`],
          w.d ? [`classesLossBackward(${args}, ${w.d}); ${note}`] : [],
        );
      },
    },
  });
}

/** `.mean()` or `.sum()` of a per-element expression. */
const reduce = (expr: string, p: { reduction: Reduction }): string => `(${expr}).${p.reduction}()`;

const PM1: readonly PortKind[] = ['pm1-labels'];
const BIN: readonly PortKind[] = ['binary-labels'];
const CLS: readonly PortKind[] = ['class-labels'];
const REAL: readonly PortKind[] = ['real-targets', 'pm1-labels', 'binary-labels'];

export const lossNodeTypes = [
  lossNode(
    {
      type: 'MSELoss',
      ts: 'mseLoss',
      scratch: { kind: 'mse', slope: '2(w − y)' },
      title: 'MSE loss',
      description: 'Squared error (w − y)², for regression.',
      targets: REAL,
      pairing: 'elementwise',
      perSample: () => '(w_i - y_i)^2',
      python: (z, y, p) => `F.mse_loss(${z}, ${y}, reduction='${p.reduction}')`,
    },
    reductionParams,
  ),
  lossNode(
    {
      type: 'L1Loss',
      ts: 'l1Loss',
      scratch: { kind: 'l1', slope: 'sign(w − y)' },
      title: 'L1 loss',
      description: 'Absolute error |w − y|, for regression that is robust to outliers.',
      targets: REAL,
      pairing: 'elementwise',
      perSample: () => '|w_i - y_i|',
      python: (z, y, p) => `F.l1_loss(${z}, ${y}, reduction='${p.reduction}')`,
    },
    reductionParams,
  ),
  lossNode(
    {
      type: 'BCEWithLogitsLoss',
      ts: 'bceWithLogitsLoss',
      scratch: { kind: 'bce', slope: 'σ(w) − y' },
      title: 'BCE with logits',
      description:
        'Binary cross-entropy (negative log-likelihood) of 0/1 labels, from a score w: the sigmoid is built in.',
      targets: BIN,
      pairing: 'elementwise',
      perSample: () => '-\\big[y_i \\log \\sigma(w_i) + (1 - y_i) \\log(1 - \\sigma(w_i))\\big]',
      python: (z, y, p) => `F.binary_cross_entropy_with_logits(${z}, ${y}, reduction='${p.reduction}')`,
    },
    reductionParams,
  ),
  lossNode(
    {
      type: 'LogisticLoss',
      ts: 'logisticLoss',
      scratch: { kind: 'logistic', slope: '−y·σ(−y·w)' },
      title: 'Logistic loss (±1)',
      description: 'The negative log-likelihood of ±1 labels: log(1 + exp(−y·w)).',
      targets: PM1,
      pairing: 'elementwise',
      perSample: () => '\\log\\!\\left(1 + e^{-y_i w_i}\\right)',
      python: (z, y, p) => reduce(`F.softplus(-${y} * ${z})`, p),
    },
    reductionParams,
  ),
  lossNode(
    {
      type: 'HingeLoss',
      ts: 'hingeLoss',
      scratch: { kind: 'hinge', slope: '(1 − y·w > 0 ? −y : 0)' },
      title: 'Hinge loss (±1)',
      description: 'The binary hinge max(0, 1 − y·w) for ±1 labels.',
      targets: PM1,
      pairing: 'elementwise',
      perSample: () => '\\max(0,\\ 1 - y_i w_i)',
      python: (z, y, p) => reduce(`torch.relu(1 - ${y} * ${z})`, p),
    },
    reductionParams,
  ),
  lossNode(
    {
      type: 'HingeLoss01',
      ts: 'hingeLoss01',
      scratch: { kind: 'hinge01', slope: '(1 − (2y − 1)·w > 0 ? −(2y − 1) : 0)' },
      title: 'Hinge loss (0/1)',
      description: 'The binary hinge for 0/1 labels: the label is mapped to ±1 by 2y − 1.',
      targets: BIN,
      pairing: 'elementwise',
      perSample: () => '\\max\\!\\big(0,\\ 1 - (2y_i - 1)\\, w_i\\big)',
      python: (z, y, p) => reduce(`torch.relu(1 - (2 * ${y} - 1) * ${z})`, p),
    },
    reductionParams,
  ),
  lossNode(
    {
      type: 'PerceptronLoss',
      ts: 'perceptronLoss',
      scratch: { kind: 'perceptron', slope: '(−y·w > 0 ? −y : 0)' },
      title: 'Perceptron loss',
      description: 'max(0, −y·w) for ±1 labels: zero once every sample is on the right side.',
      targets: PM1,
      pairing: 'elementwise',
      perSample: () => '\\max(0,\\ -y_i w_i)',
      python: (z, y, p) => reduce(`torch.relu(-${y} * ${z})`, p),
    },
    reductionParams,
  ),
  lossNode(
    {
      type: 'MulticlassHingeLoss',
      ts: 'multiMarginLoss',
      scratch: { kind: 'multiclass-hinge', slope: '(ℓ > 0 ? onehot(strongest wrong class) − onehot(y) : 0)' },
      title: 'Multiclass hinge',
      description: 'max(0, m − w_y + max over the other classes of w): the correct class must win by the margin m.',
      targets: CLS,
      pairing: 'classes',
      perSample: (p) => `\\max\\!\\big(0,\\ ${p.margin} - w_{i,y_i} + \\max_{y' \\ne y_i} w_{i,y'}\\big)`,
      summary: (p) => `margin ${p.margin}`,
      python: (z, y, p, ctx) => {
        const n = ctx.name;
        return `(lambda _${n}_z, _${n}_y: torch.relu(${p.margin} - _${n}_z.gather(1, _${n}_y[:, None])[:, 0] + _${n}_z.scatter(1, _${n}_y[:, None], float('-inf')).amax(1)).${p.reduction}())(${z}, ${y})`;
      },
    },
    marginParams,
  ),
  lossNode(
    {
      type: 'CrossEntropyLoss',
      ts: 'crossEntropyLoss',
      scratch: { kind: 'cross-entropy', slope: 'softmax(w) − onehot(y)' },
      title: 'Cross-entropy',
      description: 'Softmax followed by the negative log-likelihood of the class index (from raw scores).',
      targets: CLS,
      pairing: 'classes',
      perSample: () => '-\\log \\frac{e^{w_{i,y_i}}}{\\sum_c e^{w_{i,c}}}',
      torchSequences: true,
      python: (z, y, p) => `F.cross_entropy(${z}, ${y}, ignore_index=${p.ignore_index}, reduction='${p.reduction}')`,
    },
    ignoreParams,
  ),
  lossNode(
    {
      type: 'NLLLoss',
      ts: 'nllLoss',
      scratch: { kind: 'nll', slope: '−onehot(y)' },
      title: 'NLL loss',
      description: 'The negative log-likelihood of the class index, from log-probabilities (after LogSoftmax).',
      targets: CLS,
      pairing: 'classes',
      perSample: () => '-w_{i,y_i}',
      torchSequences: true,
      python: (z, y, p) => `F.nll_loss(${z}, ${y}, ignore_index=${p.ignore_index}, reduction='${p.reduction}')`,
    },
    ignoreParams,
  ),
] as const;
