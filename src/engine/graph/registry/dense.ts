import type { TensorType } from '../nodeType';
import { defineNodeType } from '../nodeType';
import { autoIntParam, boolParam, defineParams, floatParam, intParam } from '../params';
import { INPUT, OUT, fail, fmt, inPort, lastDim, ok, outPort, pyArg, pyBool, pyModule, tsLayer } from './common';
import { grad, kernels, output, param, port, scratch, sizeOf } from './scratch';

/** Layers with parameters or state: Linear, Dropout, BatchNorm, Embedding. */

const linearParams = defineParams<{ in_features: number | null; out_features: number; bias: boolean }>({
  in_features: autoIntParam({
    label: 'In features',
    help: 'Size of each input sample; leave empty to take it from the input.',
    default: null,
    min: 1,
    max: 1 << 20,
  }),
  out_features: intParam({
    label: 'Out features',
    help: 'Size of each output sample (number of neurons).',
    default: 8,
    min: 1,
    max: 1 << 20,
  }),
  bias: boolParam({ label: 'Bias', help: 'Learn an additive bias b.', default: true }),
});

export const linearNode = defineNodeType({
  type: 'Linear',
  title: 'Linear',
  family: 'Layers',
  description: 'A fully connected layer z = Ax + b applied to the last dimension.',
  inputs: [INPUT],
  outputs: [OUT],
  params: linearParams,
  differentiable: true,
  infer: ({ params, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    if (x.shape.length < 2)
      return fail(`Linear needs at least N×features on its input port, but receives ${fmt(x)}`, 'input');
    const f = lastDim(x)!;
    if (params.in_features !== null && params.in_features !== f)
      return fail(
        `Linear expects ${params.in_features} input features (in_features), but its input port receives ${fmt(x)} (${f} features)`,
        'input',
      );
    return ok({ out: { shape: [...x.shape.slice(0, -1), params.out_features], kind: x.kind } });
  },
  parameters: (p, inputs) => {
    const f = p.in_features ?? lastDim(inputs.input) ?? 0;
    return p.out_features * f + (p.bias ? p.out_features : 0);
  },
  formula: ({ params, inputs }) => {
    const f = params.in_features ?? lastDim(inputs.input) ?? 'd';
    const w = `A \\in \\mathbb{R}^{${params.out_features}\\times ${f}}`;
    return params.bias
      ? `z = Ax + b,\\quad ${w},\\; b \\in \\mathbb{R}^{${params.out_features}}`
      : `z = Ax,\\quad ${w}`;
  },
  summary: (p, inputs) =>
    `${p.in_features ?? lastDim(inputs.input) ?? '?'} → ${p.out_features}${p.bias ? '' : ', no bias'}`,
  emit: {
    python: (ctx) => {
      const f = ctx.params.in_features ?? lastDim(ctx.inputTypes.input);
      return pyModule(ctx, `nn.Linear(${f}, ${ctx.params.out_features}, bias=${pyBool(ctx.params.bias)})`);
    },
    ts: (ctx) => {
      const { in_features, out_features, bias } = ctx.params;
      const f = in_features ?? lastDim(ctx.inputTypes.input);
      return tsLayer(ctx, 'Linear', 'nn/linear', `new Linear(${f}, ${out_features}, rng, { bias: ${bias}, dtype })`);
    },
    scratch: (ctx) => {
      const x = port(ctx, 'input');
      const { z, dz } = output(ctx);
      const inF = x.t.shape[x.t.shape.length - 1];
      const outF = ctx.params.out_features;
      const rows = sizeOf(x.t.shape.slice(0, -1));
      const [A, b, dA, db] = [param(ctx, 'weight'), param(ctx, 'bias'), grad(ctx, 'weight'), grad(ctx, 'bias')];
      const dims = `${rows}, ${inF}, ${outF}`;
      return scratch(
        kernels('linearForward', 'linearBackwardWeight', 'linearBackwardBias', 'linearBackwardInput'),
        [`const ${z} = linearForward(${x.v}, ${dims}, ${A}, ${ctx.params.bias ? b : 'null'});`],
        [
          `linearBackwardWeight(${dz}, ${x.v}, ${dims}, ${dA}); // ∂L/∂A = ∂L/∂z · xᵀ`,
          ...(ctx.params.bias ? [`linearBackwardBias(${dz}, ${rows}, ${outF}, ${db}); // ∂L/∂b = ∂L/∂z`] : []),
          ...(x.d ? [`linearBackwardInput(${dz}, ${A}, ${dims}, ${x.d}); // ∂L/∂x = Aᵀ · ∂L/∂z`] : []),
        ],
        [{ name: 'weight', shape: [outF, inF] }, ...(ctx.params.bias ? [{ name: 'bias', shape: [outF] }] : [])],
      );
    },
  },
});

const dropoutParams = defineParams<{ p: number }>({
  p: floatParam({
    label: 'Drop probability',
    help: 'Probability of zeroing each element while training; the rest are scaled by 1/(1−p). Identity in evaluation.',
    default: 0.5,
    min: 0,
    max: 0.99,
    step: 0.05,
  }),
});

export const dropoutNode = defineNodeType({
  type: 'Dropout',
  title: 'Dropout',
  family: 'Layers',
  description: 'Randomly zeroes elements while training (regularisation); identity in evaluation.',
  inputs: [INPUT],
  outputs: [OUT],
  params: dropoutParams,
  differentiable: true,
  infer: ({ inputs }) => (inputs.input ? ok({ out: inputs.input }) : fail('the input port is not connected', 'input')),
  formula: ({ params }) => `z = \\frac{m \\odot x}{1-p},\\quad m_i \\sim \\mathrm{Bernoulli}(1-p),\\; p = ${params.p}`,
  summary: (p) => `p = ${p.p}`,
  emit: {
    python: (ctx) => pyModule(ctx, `nn.Dropout(p=${ctx.params.p})`),
    ts: (ctx) => tsLayer(ctx, 'Dropout', 'nn/dropout', `new Dropout(${ctx.params.p}, rng.fork())`),
    scratch: (ctx) => {
      const x = port(ctx, 'input');
      const { z, dz } = output(ctx);
      const m = `${ctx.name}_mask`;
      return scratch(
        kernels('dropoutMask', 'mulForward', 'mulBackward'),
        [
          `const ${m} = dropoutMask(${sizeOf(x.t.shape)}, ${ctx.params.p}, training, rng[${JSON.stringify(ctx.name)}]);`,
          `const ${z} = mulForward(${x.v}, ${m});`,
        ],
        x.d ? [`mulBackward(${dz}, ${m}, ${x.d}); // ∂L/∂x = ∂L/∂z ⊙ m / (1 − p)  (m: the kept elements)`] : [],
        [],
        true,
      );
    },
  },
});

const batchNormParams = defineParams<{ num_features: number | null; eps: number; momentum: number; affine: boolean }>({
  num_features: autoIntParam({
    label: 'Features',
    help: 'Number of channels C (dimension 1); leave empty to take it from the input.',
    default: null,
    min: 1,
    max: 1 << 20,
  }),
  eps: floatParam({
    label: 'Epsilon',
    help: 'Added to the variance for numerical stability.',
    default: 1e-5,
    min: 0,
    max: 1,
  }),
  momentum: floatParam({
    label: 'Momentum',
    help: 'Weight of the current batch in the running statistics.',
    default: 0.1,
    min: 0,
    max: 1,
    step: 0.01,
  }),
  affine: boolParam({ label: 'Affine', help: 'Learn a scale γ (weight) and shift β (bias).', default: true }),
});

/** BatchNorm2d for N×C×H×W, else BatchNorm1d; the channels from the parameter or the input. */
function batchNormClass(numFeatures: number | null, x: TensorType | undefined) {
  return { cls: x && x.shape.length === 4 ? 'BatchNorm2d' : 'BatchNorm1d', c: numFeatures ?? x?.shape[1] };
}

export const batchNormNode = defineNodeType({
  type: 'BatchNorm',
  title: 'BatchNorm',
  family: 'Layers',
  description: 'Normalises each channel over the batch (BatchNorm1d for N×C or N×C×L, BatchNorm2d for N×C×H×W).',
  inputs: [INPUT],
  outputs: [OUT],
  params: batchNormParams,
  differentiable: true,
  infer: ({ params, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    if (x.shape.length < 2 || x.shape.length > 4)
      return fail(`BatchNorm needs N×C, N×C×L or N×C×H×W on its input port, but receives ${fmt(x)}`, 'input');
    if (params.num_features !== null && x.shape[1] !== params.num_features)
      return fail(
        `BatchNorm expects ${params.num_features} channels (num_features) in dimension 1, but its input port receives ${fmt(x)}`,
        'input',
      );
    return ok({ out: x });
  },
  parameters: (p, inputs) => (p.affine ? 2 * (p.num_features ?? inputs.input?.shape[1] ?? 0) : 0),
  formula: ({ params, inputs }) => {
    const c = params.num_features ?? inputs.input?.shape[1] ?? 'C';
    return `z = \\frac{x - \\mu_B}{\\sqrt{\\sigma_B^2 + \\epsilon}}${params.affine ? ' \\odot \\gamma + \\beta' : ''},\\quad \\gamma, \\beta \\in \\mathbb{R}^{${c}}`;
  },
  summary: (p, inputs) => `${p.num_features ?? inputs.input?.shape[1] ?? '?'} channels`,
  emit: {
    python: (ctx) => {
      const { cls, c } = batchNormClass(ctx.params.num_features, ctx.inputTypes.input);
      const { eps, momentum, affine } = ctx.params;
      return pyModule(ctx, `nn.${cls}(${c}, eps=${eps}, momentum=${momentum}, affine=${pyBool(affine)})`);
    },
    ts: (ctx) => {
      const { cls, c } = batchNormClass(ctx.params.num_features, ctx.inputTypes.input);
      const { eps, momentum, affine } = ctx.params;
      return tsLayer(
        ctx,
        cls,
        'nn/batchnorm',
        `new ${cls}(${c}, { eps: ${eps}, momentum: ${momentum}, affine: ${affine}, dtype })`,
      );
    },
    scratch: (ctx) => {
      const { eps, momentum, affine } = ctx.params;
      const x = port(ctx, 'input');
      const { z, dz } = output(ctx);
      const C = x.t.shape[1];
      const inner = x.t.shape.slice(2).reduce((a, b) => a * b, 1);
      const [xhat, inv] = [`${ctx.name}_xhat`, `${ctx.name}_invstd`];
      const [gamma, beta] = affine ? [param(ctx, 'weight'), param(ctx, 'bias')] : ['null', 'null'];
      const dims = `N, ${C}, ${inner}`;
      return scratch(
        kernels('batchNormForward', 'batchNormBackward'),
        [
          `const [${z}, ${xhat}, ${inv}] = batchNormForward(${x.v}, ${dims}, training, ${eps}, ${momentum}, ${gamma}, ${beta}, ${param(ctx, 'running_mean')}, ${param(ctx, 'running_var')});`,
        ],
        [
          ...(affine
            ? [
                `batchNormBackwardAffine(${dz}, ${xhat}, ${dims}, ${grad(ctx, 'weight')}, ${grad(ctx, 'bias')}); // ∂L/∂γ = Σ ∂L/∂z ⊙ x̂,  ∂L/∂β = Σ ∂L/∂z`,
              ]
            : []),
          ...(x.d
            ? [
                `batchNormBackwardInput(${dz}, ${xhat}, ${inv}, ${dims}, training, ${gamma}, ${x.d}); // ∂L/∂x = (ĝ − mean ĝ − x̂ ⊙ mean(ĝ ⊙ x̂)) / √(σ²+ε), ĝ = γ ⊙ ∂L/∂z`,
              ]
            : []),
        ],
        [
          ...(affine
            ? [
                { name: 'weight', shape: [C] },
                { name: 'bias', shape: [C] },
              ]
            : []),
          { name: 'running_mean', shape: [C], buffer: true },
          { name: 'running_var', shape: [C], buffer: true },
        ],
      );
    },
  },
});

const embeddingParams = defineParams<{ num_embeddings: number; embedding_dim: number }>({
  num_embeddings: intParam({
    label: 'Vocabulary size',
    help: 'Number of distinct token indices (0…V−1).',
    default: 16,
    min: 1,
    max: 1 << 20,
  }),
  embedding_dim: intParam({
    label: 'Embedding size',
    help: 'Size of each embedding vector.',
    default: 8,
    min: 1,
    max: 1 << 16,
  }),
});

export const embeddingNode = defineNodeType({
  type: 'Embedding',
  title: 'Embedding',
  family: 'Layers',
  description: 'Looks up a learned vector for each token index.',
  inputs: [inPort('input', 'indices', ['indices'])],
  outputs: [outPort('out', 'output', 'dynamic')],
  params: embeddingParams,
  differentiable: true,
  infer: ({ params, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    const shape = [...x.shape, params.embedding_dim];
    return ok({ out: { shape, kind: shape.length === 3 ? 'sequence' : 'tensor' } });
  },
  parameters: (p) => p.num_embeddings * p.embedding_dim,
  formula: ({ params }) =>
    `z_t = E_{x_t},\\quad E \\in \\mathbb{R}^{${params.num_embeddings}\\times ${params.embedding_dim}}`,
  summary: (p) => `${p.num_embeddings} × ${p.embedding_dim}`,
  emit: {
    python: (ctx) =>
      pyModule(
        ctx,
        `nn.Embedding(${ctx.params.num_embeddings}, ${ctx.params.embedding_dim})`,
        `self.${ctx.name}(${pyArg(ctx, 'input')}.long())`,
      ),
    ts: (ctx) =>
      tsLayer(
        ctx,
        'Embedding',
        'nn/embedding',
        `new Embedding(${ctx.params.num_embeddings}, ${ctx.params.embedding_dim}, rng, { dtype })`,
      ),
    scratch: (ctx) => {
      const x = port(ctx, 'input');
      const { z, dz } = output(ctx);
      const { num_embeddings: V, embedding_dim: D } = ctx.params;
      return scratch(
        kernels('embeddingForward', 'embeddingBackward'),
        [`const ${z} = embeddingForward(${x.v}, ${param(ctx, 'weight')}, ${D});`],
        [`embeddingBackward(${dz}, ${x.v}, ${D}, ${grad(ctx, 'weight')}); // ∂L/∂E[x_t] = Σ ∂L/∂z_t`],
        [{ name: 'weight', shape: [V, D] }],
      );
    },
  },
});

export const denseNodeTypes = [linearNode, dropoutNode, batchNormNode, embeddingNode] as const;
