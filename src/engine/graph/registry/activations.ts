import type { FormulaContext, ParamSpec } from '../nodeType';
import { defineNodeType } from '../nodeType';
import { defineParams, floatParam, intParam } from '../params';
import { normalizeDim } from '../shape';
import { INPUT, OUT, R, fail, fmt, ok, pyArg, pyExpr, tsArg, tsExpr, tsImport } from './common';

const noParams = defineParams<Record<string, never>>({});
const dimParams = defineParams<{ dim: number }>({
  dim: intParam({
    label: 'Dimension',
    help: 'The dimension the probabilities sum to 1 over (−1 is the last, usually the classes).',
    default: -1,
    min: -8,
    max: 8,
  }),
});
const leakyParams = defineParams<{ negative_slope: number }>({
  negative_slope: floatParam({
    label: 'Negative slope',
    help: 'Slope for negative inputs.',
    default: 0.01,
    min: 0,
    max: 1,
    step: 0.01,
  }),
});

const shapeNote = <P>({ outputs }: FormulaContext<P>): string =>
  outputs?.out ? `,\\quad z \\in ${R(outputs.out.shape)}` : '';

/**
 * An activation applied elementwise (or along one dimension). `python` and `ts` give the call
 * on the input expression; `ts` names the engine op of ops/activation it calls.
 */
function elementwise<P, const T extends string>(
  type: T,
  title: string,
  description: string,
  params: ParamSpec<P>,
  latex: (p: P) => string,
  summary: (p: P) => string,
  python: (x: string, p: P) => string,
  ts: { op: string; args?: (p: P) => string },
  dimOf?: (p: P) => number,
) {
  return defineNodeType<P, T>({
    type,
    title,
    family: 'Activations',
    description,
    inputs: [INPUT],
    outputs: [OUT],
    params,
    differentiable: true,
    infer: ({ params: p, inputs }) => {
      const x = inputs.input;
      if (!x) return fail('the input port is not connected', 'input');
      if (dimOf && normalizeDim(dimOf(p), x.shape.length) === undefined)
        return fail(`${title} cannot work along dimension ${dimOf(p)} of ${fmt(x)}`, 'input');
      return ok({ out: x });
    },
    formula: (ctx) => `${latex(ctx.params)}${shapeNote(ctx)}`,
    summary,
    emit: {
      python: (ctx) => pyExpr(ctx, python(pyArg(ctx, 'input'), ctx.params)),
      ts: (ctx) => {
        const extra = ts.args ? `, ${ts.args(ctx.params)}` : '';
        return tsExpr(ctx, `${ts.op}(${tsArg(ctx, 'input')}${extra})`, tsImport('ops/activation', ts.op));
      },
    },
  });
}

export const activationNodeTypes = [
  elementwise(
    'Sigmoid',
    'Sigmoid',
    'The logistic function σ(x) = 1/(1+e^{−x}), squashing into (0, 1).',
    noParams,
    () => 'z = \\sigma(x) = \\frac{1}{1 + e^{-x}}',
    () => 'σ(x)',
    (x) => `torch.sigmoid(${x})`,
    { op: 'sigmoid' },
  ),
  elementwise(
    'Tanh',
    'Tanh',
    'The hyperbolic tangent, squashing into (−1, 1).',
    noParams,
    () => 'z = \\tanh(x)',
    () => 'tanh(x)',
    (x) => `torch.tanh(${x})`,
    { op: 'tanh' },
  ),
  elementwise(
    'ReLU',
    'ReLU',
    'The rectifier max(0, x).',
    noParams,
    () => 'z = \\max(0, x)',
    () => 'max(0, x)',
    (x) => `torch.relu(${x})`,
    { op: 'relu' },
  ),
  elementwise(
    'LeakyReLU',
    'LeakyReLU',
    'max(0, x) + slope·min(0, x): a rectifier that keeps a small gradient for negative inputs.',
    leakyParams,
    (p) => `z = \\max(0, x) + ${p.negative_slope}\\,\\min(0, x)`,
    (p) => `slope ${p.negative_slope}`,
    (x, p) => `F.leaky_relu(${x}, ${p.negative_slope})`,
    { op: 'leakyRelu', args: (p) => `${p.negative_slope}` },
  ),
  elementwise(
    'Softmax',
    'Softmax',
    'Turns scores into probabilities that sum to 1 along one dimension.',
    dimParams,
    () => 'z_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}}',
    (p) => `dim ${p.dim}`,
    (x, p) => `torch.softmax(${x}, dim=${p.dim})`,
    { op: 'softmax', args: (p) => `${p.dim}` },
    (p) => p.dim,
  ),
  elementwise(
    'LogSoftmax',
    'LogSoftmax',
    'The logarithm of the softmax, computed stably (pair it with NLL).',
    dimParams,
    () => 'z_i = x_i - \\log \\sum_j e^{x_j}',
    (p) => `dim ${p.dim}`,
    (x, p) => `torch.log_softmax(${x}, dim=${p.dim})`,
    { op: 'logSoftmax', args: (p) => `${p.dim}` },
    (p) => p.dim,
  ),
] as const;
