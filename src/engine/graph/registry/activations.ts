import type { FormulaContext, ParamSpec } from '../nodeType';
import { defineNodeType } from '../nodeType';
import { defineParams, floatParam, intParam } from '../params';
import { normalizeDim } from '../shape';
import type { EmitContext, EmitResult } from '../emit';
import { INPUT, OUT, R, fail, fmt, ok, pyArg, pyExpr, tsArg, tsExpr, tsImport } from './common';
import { around, kernels, output, port, scratch, scratchElementwise } from './scratch';

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

/** From scratch: max(0, x) + slope·min(0, x) (slope 0 is the ReLU). */
const scratchLeaky = (ctx: EmitContext<unknown>, slope: number): EmitResult =>
  scratchElementwise(
    ctx,
    { kernel: 'leakyReluForward', args: String(slope) },
    {
      kernel: 'leakyReluBackward',
      call: (x, _z, dz, dx) => `leakyReluBackward(${x}, ${dz}, ${slope}, ${dx})`,
      note: slope === 0 ? '∂L/∂x = ∂L/∂z ⊙ [x > 0]' : `∂L/∂x = ∂L/∂z ⊙ (x > 0 ? 1 : ${slope})`,
    },
  );

/** From scratch: (log-)softmax along `dim`, as outer×C×inner. */
function scratchSoftmax(ctx: EmitContext<{ dim: number }>, log: boolean): EmitResult {
  const x = port(ctx, 'input');
  const { z, dz } = output(ctx);
  const rank = x.t.shape.length;
  const { outer, C, inner } = around(x.t.shape, ctx.params.dim < 0 ? ctx.params.dim + rank : ctx.params.dim);
  const note = log ? '∂L/∂x = ∂L/∂z − softmax(x)·Σⱼ ∂L/∂zⱼ' : '∂L/∂x = z ⊙ (∂L/∂z − Σⱼ ∂L/∂zⱼ zⱼ)';
  return scratch(
    kernels('softmaxForward', 'softmaxBackward'),
    [`const ${z} = softmaxForward(${x.v}, ${outer}, ${C}, ${inner}, ${log});`],
    x.d ? [`softmaxBackward(${z}, ${dz}, ${outer}, ${C}, ${inner}, ${log}, ${x.d}); // ${note}`] : [],
  );
}

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
  scratchCode: (ctx: EmitContext<P>) => EmitResult,
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
      scratch: scratchCode,
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
    (ctx) =>
      scratchElementwise(
        ctx,
        { kernel: 'sigmoidForward' },
        {
          kernel: 'sigmoidBackward',
          call: (_x, z, dz, dx) => `sigmoidBackward(${z}, ${dz}, ${dx})`,
          note: '∂L/∂x = ∂L/∂z ⊙ σ(x)(1 − σ(x))',
        },
      ),
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
    (ctx) =>
      scratchElementwise(
        ctx,
        { kernel: 'tanhForward' },
        {
          kernel: 'tanhBackward',
          call: (_x, z, dz, dx) => `tanhBackward(${z}, ${dz}, ${dx})`,
          note: '∂L/∂x = ∂L/∂z ⊙ (1 − tanh²(x))',
        },
      ),
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
    (ctx) => scratchLeaky(ctx, 0),
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
    (ctx) => scratchLeaky(ctx, ctx.params.negative_slope),
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
    (ctx) => scratchSoftmax(ctx, false),
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
    (ctx) => scratchSoftmax(ctx, true),
    (p) => p.dim,
  ),
] as const;
