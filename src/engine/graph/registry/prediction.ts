import type { PortKind } from '../nodeType';
import { defineNodeType } from '../nodeType';
import { defineParams, floatParam, intParam } from '../params';
import { normalizeDim } from '../shape';
import type { EmitContext, EmitResult } from '../emit';
import { INPUT, R, fail, fmt, ok, outPort, pyArg, pyExpr, tsArg, tsExpr, tsImport } from './common';
import type { KernelName } from './scratch';
import { around, kernels, output, port, scratch } from './scratch';

/** From scratch: a prediction is a forward line only (no gradient flows through it). */
function scratchPredict(ctx: EmitContext<unknown>, kernel: KernelName, args = ''): EmitResult {
  return scratch(kernels(kernel), [`const ${output(ctx).z} = ${kernel}(${port(ctx, 'input').v}${args});`]);
}

/** outer×C×inner of the input around a class dimension. */
function classAxes(ctx: EmitContext<{ dim: number }>): string {
  const shape = port(ctx, 'input').t.shape;
  const { outer, C, inner } = around(shape, ctx.params.dim < 0 ? ctx.params.dim + shape.length : ctx.params.dim);
  return `, ${outer}, ${C}, ${inner}`;
}

const NO_GRAD = tsImport('autograd/gradMode', 'noGrad');

const noParams = defineParams<Record<string, never>>({});
const thresholdParams = defineParams<{ threshold: number }>({
  threshold: floatParam({
    label: 'Threshold',
    help: 'Predict 1 where the score is at least this value (0 for logits).',
    default: 0,
    min: -1e6,
    max: 1e6,
    step: 0.1,
  }),
});
const dimParams = defineParams<{ dim: number }>({
  dim: intParam({ label: 'Dimension', help: 'The class dimension (−1 is the last).', default: -1, min: -8, max: 8 }),
});

export const signNode = defineNodeType({
  type: 'Sign',
  title: 'Sign',
  family: 'Prediction',
  description: 'Predicts +1 where the score is ≥ 0 and −1 elsewhere (the side of the hyperplane).',
  inputs: [INPUT],
  outputs: [outPort('out', 'ŷ', 'pm1-labels')],
  params: noParams,
  differentiable: false,
  infer: ({ inputs }) =>
    inputs.input
      ? ok({ out: { shape: inputs.input.shape, kind: 'pm1-labels' } })
      : fail('the input port is not connected', 'input'),
  formula: () => '\\hat y = \\begin{cases} +1 & w \\ge 0 \\\\ -1 & w < 0 \\end{cases}',
  summary: () => '±1',
  emit: {
    python: (ctx) =>
      pyExpr(ctx, `torch.where(${pyArg(ctx, 'input')} >= 0, 1.0, -1.0).to(${pyArg(ctx, 'input')}.dtype)`),
    ts: (ctx) =>
      tsExpr(ctx, `noGrad(() => predictSign(${tsArg(ctx, 'input')}))`, NO_GRAD, tsImport('nn/predict', 'predictSign')),
    scratch: (ctx) => scratchPredict(ctx, 'signForward'),
  },
});

export const thresholdNode = defineNodeType({
  type: 'Threshold',
  title: 'Threshold',
  family: 'Prediction',
  description: 'Predicts 1 where the score reaches the threshold and 0 elsewhere.',
  inputs: [INPUT],
  outputs: [outPort('out', 'ŷ', 'binary-labels')],
  params: thresholdParams,
  differentiable: false,
  infer: ({ inputs }) =>
    inputs.input
      ? ok({ out: { shape: inputs.input.shape, kind: 'binary-labels' } })
      : fail('the input port is not connected', 'input'),
  formula: ({ params }) =>
    `\\hat y = \\begin{cases} 1 & w \\ge ${params.threshold} \\\\ 0 & w < ${params.threshold} \\end{cases}`,
  summary: (p) => `w ≥ ${p.threshold}`,
  emit: {
    python: (ctx) =>
      pyExpr(ctx, `(${pyArg(ctx, 'input')} >= ${ctx.params.threshold}).to(${pyArg(ctx, 'input')}.dtype)`),
    ts: (ctx) =>
      tsExpr(
        ctx,
        `noGrad(() => predictThreshold(${tsArg(ctx, 'input')}, ${ctx.params.threshold}))`,
        NO_GRAD,
        tsImport('nn/predict', 'predictThreshold'),
      ),
    scratch: (ctx) => scratchPredict(ctx, 'thresholdForward', `, ${ctx.params.threshold}`),
  },
});

export const sigmoidProbabilityNode = defineNodeType({
  type: 'SigmoidProbability',
  title: 'Sigmoid probability',
  family: 'Prediction',
  description: 'The probability of class 1 under the logistic model, σ(w).',
  inputs: [INPUT],
  outputs: [outPort('out', 'p', 'tensor')],
  params: noParams,
  differentiable: true,
  infer: ({ inputs }) =>
    inputs.input
      ? ok({ out: { shape: inputs.input.shape, kind: 'tensor' } })
      : fail('the input port is not connected', 'input'),
  formula: ({ inputs }) =>
    `P(y = 1 \\mid x) = \\sigma(w)${inputs.input ? `,\\quad w \\in ${R(inputs.input.shape)}` : ''}`,
  summary: () => 'P(y=1) = σ(w)',
  emit: {
    python: (ctx) => pyExpr(ctx, `torch.sigmoid(${pyArg(ctx, 'input')})`),
    ts: (ctx) => tsExpr(ctx, `sigmoid(${tsArg(ctx, 'input')})`, tsImport('ops/activation', 'sigmoid')),
    scratch: (ctx) => scratchPredict(ctx, 'sigmoidForward'),
  },
});

function classDim(shape: readonly number[], dim: number): number | undefined {
  const d = normalizeDim(dim, shape.length);
  return d === undefined || d === 0 ? undefined : d;
}

export const softmaxProbabilityNode = defineNodeType({
  type: 'SoftmaxProbability',
  title: 'Softmax probability',
  family: 'Prediction',
  description: 'The probability of each class, softmax(w).',
  inputs: [INPUT],
  outputs: [outPort('out', 'p', 'tensor')],
  params: dimParams,
  differentiable: true,
  infer: ({ params, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    if (classDim(x.shape, params.dim) === undefined)
      return fail(`Softmax probability cannot use dimension ${params.dim} of ${fmt(x)} as the classes`, 'input');
    return ok({ out: { shape: x.shape, kind: 'tensor' } });
  },
  formula: () => "P(y = c \\mid x) = \\frac{e^{w_c}}{\\sum_{c'} e^{w_{c'}}}",
  summary: (p) => `dim ${p.dim}`,
  emit: {
    python: (ctx) => pyExpr(ctx, `torch.softmax(${pyArg(ctx, 'input')}, dim=${ctx.params.dim})`),
    ts: (ctx) =>
      tsExpr(ctx, `softmax(${tsArg(ctx, 'input')}, ${ctx.params.dim})`, tsImport('ops/activation', 'softmax')),
    scratch: (ctx) => scratchPredict(ctx, 'softmaxForward', `${classAxes(ctx)}, false`),
  },
});

const ARGMAX_KIND: PortKind = 'class-labels';

export const argmaxNode = defineNodeType({
  type: 'Argmax',
  title: 'Argmax',
  family: 'Prediction',
  description: 'Predicts the class with the highest score.',
  inputs: [INPUT],
  outputs: [outPort('out', 'ŷ', ARGMAX_KIND)],
  params: dimParams,
  differentiable: false,
  infer: ({ params, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    const d = classDim(x.shape, params.dim);
    if (d === undefined) return fail(`Argmax cannot use dimension ${params.dim} of ${fmt(x)} as the classes`, 'input');
    return ok({ out: { shape: x.shape.filter((_, i) => i !== d), kind: ARGMAX_KIND } });
  },
  formula: () => '\\hat y = \\arg\\max_c\\, w_c',
  summary: (p) => `dim ${p.dim}`,
  emit: {
    python: (ctx) => pyExpr(ctx, `torch.argmax(${pyArg(ctx, 'input')}, dim=${ctx.params.dim})`),
    ts: (ctx) =>
      tsExpr(
        ctx,
        `noGrad(() => argmaxAlong(${tsArg(ctx, 'input')}, ${ctx.params.dim}))`,
        NO_GRAD,
        tsImport('runtime/layerHelpers', 'argmaxAlong'),
      ),
    scratch: (ctx) => scratchPredict(ctx, 'argmaxForward', classAxes(ctx)),
  },
});

export const predictionNodeTypes = [
  signNode,
  thresholdNode,
  sigmoidProbabilityNode,
  softmaxProbabilityNode,
  argmaxNode,
] as const;
