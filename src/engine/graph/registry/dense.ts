import type { AnyNodeTypeDef, TensorType } from '../nodeType';
import { defineNodeType } from '../nodeType';
import { autoIntParam, boolParam, defineParams, floatParam, intParam, shapeParam } from '../params';
import { BATCH, broadcastShapes, normalizeDim, sampleSize } from '../shape';
import { FLOAT_KINDS, INPUT, OUT, R, fail, fmt, inPort, kindForRank, lastDim, ok, outPort, pyArg, pyBool, pyExpr, pyModule } from './common';

const linearParams = defineParams<{ in_features: number | null; out_features: number; bias: boolean }>({
  in_features: autoIntParam({ label: 'In features', help: 'Size of each input sample; leave empty to take it from the input.', default: null, min: 1, max: 1 << 20 }),
  out_features: intParam({ label: 'Out features', help: 'Size of each output sample (number of neurons).', default: 8, min: 1, max: 1 << 20 }),
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
    if (x.shape.length < 2) return fail(`Linear needs at least N×features on its input port, but receives ${fmt(x)}`, 'input');
    const f = lastDim(x)!;
    if (params.in_features !== null && params.in_features !== f) return fail(`Linear expects ${params.in_features} input features (in_features), but its input port receives ${fmt(x)} (${f} features)`, 'input');
    return ok({ out: { shape: [...x.shape.slice(0, -1), params.out_features], kind: x.kind } });
  },
  formula: ({ params, inputs }) => {
    const f = params.in_features ?? lastDim(inputs.input) ?? 'd';
    const w = `A \\in \\mathbb{R}^{${params.out_features}\\times ${f}}`;
    return params.bias ? `z = Ax + b,\\quad ${w},\\; b \\in \\mathbb{R}^{${params.out_features}}` : `z = Ax,\\quad ${w}`;
  },
  summary: (p, inputs) => `${p.in_features ?? lastDim(inputs.input) ?? '?'} → ${p.out_features}${p.bias ? '' : ', no bias'}`,
  emit: (ctx) => {
    if (ctx.lang !== 'python') return undefined;
    const f = ctx.params.in_features ?? lastDim(ctx.inputTypes.input);
    return pyModule(ctx, `nn.Linear(${f}, ${ctx.params.out_features}, bias=${pyBool(ctx.params.bias)})`);
  },
});

const dropoutParams = defineParams<{ p: number }>({
  p: floatParam({ label: 'Drop probability', help: 'Probability of zeroing each element while training; the rest are scaled by 1/(1−p). Identity in evaluation.', default: 0.5, min: 0, max: 0.99, step: 0.05 }),
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
  emit: (ctx) => (ctx.lang === 'python' ? pyModule(ctx, `nn.Dropout(p=${ctx.params.p})`) : undefined),
});

const flattenParams = defineParams<{ start_dim: number; end_dim: number }>({
  start_dim: intParam({ label: 'Start dim', help: 'First dimension to flatten (0 is the batch; 1 keeps the batch).', default: 1, min: 1, max: 8 }),
  end_dim: intParam({ label: 'End dim', help: 'Last dimension to flatten (−1 is the last).', default: -1, min: -8, max: 8 }),
});

function flattenShape(shape: readonly number[], start: number, end: number): number[] | undefined {
  const s = normalizeDim(start, shape.length);
  const e = normalizeDim(end, shape.length);
  if (s === undefined || e === undefined || s > e || s === 0) return undefined;
  const merged = shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return [...shape.slice(0, s), merged, ...shape.slice(e + 1)];
}

export const flattenNode = defineNodeType({
  type: 'Flatten',
  title: 'Flatten',
  family: 'Layers',
  description: 'Flattens dimensions start_dim…end_dim into one (e.g. C×H×W feature maps into a vector).',
  inputs: [INPUT],
  outputs: [OUT],
  params: flattenParams,
  differentiable: true,
  infer: ({ params, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    const s = flattenShape(x.shape, params.start_dim, params.end_dim);
    if (!s) return fail(`Flatten cannot flatten dimensions ${params.start_dim}…${params.end_dim} of ${fmt(x)}`, 'input');
    return ok({ out: { shape: s, kind: kindForRank(x.kind, s.length) } });
  },
  formula: ({ inputs, outputs }) => (inputs.input && outputs?.out ? `z = \\mathrm{flatten}(x),\\quad ${R(inputs.input.shape)} \\to ${R(outputs.out.shape)}` : 'z = \\mathrm{flatten}(x)'),
  summary: (p) => `dims ${p.start_dim}…${p.end_dim}`,
  emit: (ctx) => (ctx.lang === 'python' ? pyExpr(ctx, `torch.flatten(${pyArg(ctx, 'input')}, ${ctx.params.start_dim}, ${ctx.params.end_dim})`) : undefined),
});

const reshapeParams = defineParams<{ shape: number[] }>({
  shape: shapeParam({ label: 'Shape', help: 'The new shape of one sample, without the batch dimension; one size may be −1 (inferred).', default: [-1], minRank: 1, maxRank: 4, allowInfer: true }),
});

function reshape(from: readonly number[], to: readonly number[]): number[] | undefined {
  const total = sampleSize(from);
  const known = to.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (to.includes(-1)) {
    if (known === 0 || total % known !== 0) return undefined;
    return to.map((d) => (d === -1 ? total / known : d));
  }
  return known === total ? [...to] : undefined;
}

export const reshapeNode = defineNodeType({
  type: 'Reshape',
  title: 'Reshape',
  family: 'Layers',
  description: 'Gives each sample a new shape with the same number of elements.',
  inputs: [INPUT],
  outputs: [OUT],
  params: reshapeParams,
  differentiable: true,
  infer: ({ params, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    const s = reshape(x.shape, params.shape);
    if (!s) return fail(`Reshape cannot turn ${fmt(x)} into N×${params.shape.join('×')}: each sample has ${sampleSize(x.shape)} elements`, 'input');
    const shape = [BATCH, ...s];
    return ok({ out: { shape, kind: kindForRank(x.kind === 'indices' ? 'indices' : x.kind, shape.length) } });
  },
  formula: ({ inputs, outputs }) => (inputs.input && outputs?.out ? `z = \\mathrm{reshape}(x),\\quad ${R(inputs.input.shape)} \\to ${R(outputs.out.shape)}` : 'z = \\mathrm{reshape}(x)'),
  summary: (p) => `N×${p.shape.join('×')}`,
  emit: (ctx) => (ctx.lang === 'python' ? pyExpr(ctx, `${pyArg(ctx, 'input')}.reshape(${pyArg(ctx, 'input')}.shape[0], ${ctx.params.shape.join(', ')})`) : undefined),
});

const noParams = defineParams<Record<string, never>>({});

export const addNode = defineNodeType({
  type: 'Add',
  title: 'Add',
  family: 'Layers',
  description: 'Elementwise sum of two tensors (with broadcasting), e.g. a residual connection.',
  inputs: [inPort('a', 'a'), inPort('b', 'b')],
  outputs: [OUT],
  params: noParams,
  differentiable: true,
  infer: ({ inputs }) => {
    const { a, b } = inputs;
    if (!a) return fail('port a is not connected', 'a');
    if (!b) return fail('port b is not connected', 'b');
    const s = broadcastShapes(a.shape, b.shape);
    if (!s) return fail(`Add needs shapes that match (or broadcast): a is ${fmt(a)}, b is ${fmt(b)}`, 'b');
    return ok({ out: { shape: s, kind: kindForRank(a.kind, s.length) } });
  },
  formula: ({ outputs }) => `z = a + b${outputs?.out ? `,\\quad z \\in ${R(outputs.out.shape)}` : ''}`,
  summary: () => 'a + b',
  emit: (ctx) => (ctx.lang === 'python' ? pyExpr(ctx, `${pyArg(ctx, 'a')} + ${pyArg(ctx, 'b')}`) : undefined),
});

const concatParams = defineParams<{ dim: number }>({
  dim: intParam({ label: 'Dimension', help: 'The dimension to join along (PyTorch numbering: 0 is the batch, −1 the last).', default: -1, min: -8, max: 8 }),
});

export const concatNode = defineNodeType({
  type: 'Concat',
  title: 'Concat',
  family: 'Layers',
  description: 'Joins two or three tensors along one dimension.',
  inputs: [inPort('a', 'a'), inPort('b', 'b'), inPort('c', 'c', FLOAT_KINDS, false)],
  outputs: [OUT],
  params: concatParams,
  differentiable: true,
  infer: ({ params, inputs }) => {
    const parts: [string, TensorType][] = [];
    for (const p of ['a', 'b', 'c']) {
      const t = inputs[p];
      if (t) parts.push([p, t]);
      else if (p !== 'c') return fail(`port ${p} is not connected`, p);
    }
    const first = parts[0][1];
    const d = normalizeDim(params.dim, first.shape.length);
    if (d === undefined || d === 0) return fail(`Concat cannot join ${fmt(first)} along dimension ${params.dim}`, 'a');
    let size = 0;
    for (const [p, t] of parts) {
      const same = t.shape.length === first.shape.length && t.shape.every((x, i) => i === d || x === first.shape[i]);
      if (!same) return fail(`Concat needs shapes that agree except along dimension ${params.dim}: a is ${fmt(first)}, ${p} is ${fmt(t)}`, p);
      size += t.shape[d];
    }
    const shape = first.shape.map((x, i) => (i === d ? size : x));
    return ok({ out: { shape, kind: kindForRank(first.kind, shape.length) } });
  },
  formula: ({ inputs }) => `z = [\\,a;\\ b${inputs.c ? ';\\ c' : ''}\\,]`,
  summary: (p) => `dim ${p.dim}`,
  emit: (ctx) => {
    if (ctx.lang !== 'python') return undefined;
    const args = ['a', 'b', 'c'].filter((p) => ctx.inputs[p]).map((p) => ctx.inputs[p]);
    return pyExpr(ctx, `torch.cat([${args.join(', ')}], dim=${ctx.params.dim})`);
  },
});

const batchNormParams = defineParams<{ num_features: number | null; eps: number; momentum: number; affine: boolean }>({
  num_features: autoIntParam({ label: 'Features', help: 'Number of channels C (dimension 1); leave empty to take it from the input.', default: null, min: 1, max: 1 << 20 }),
  eps: floatParam({ label: 'Epsilon', help: 'Added to the variance for numerical stability.', default: 1e-5, min: 0, max: 1 }),
  momentum: floatParam({ label: 'Momentum', help: 'Weight of the current batch in the running statistics.', default: 0.1, min: 0, max: 1, step: 0.01 }),
  affine: boolParam({ label: 'Affine', help: 'Learn a scale γ (weight) and shift β (bias).', default: true }),
});

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
    if (x.shape.length < 2 || x.shape.length > 4) return fail(`BatchNorm needs N×C, N×C×L or N×C×H×W on its input port, but receives ${fmt(x)}`, 'input');
    if (params.num_features !== null && x.shape[1] !== params.num_features) return fail(`BatchNorm expects ${params.num_features} channels (num_features) in dimension 1, but its input port receives ${fmt(x)}`, 'input');
    return ok({ out: x });
  },
  formula: ({ params, inputs }) => {
    const c = params.num_features ?? inputs.input?.shape[1] ?? 'C';
    return `z = \\frac{x - \\mu_B}{\\sqrt{\\sigma_B^2 + \\epsilon}}${params.affine ? ' \\odot \\gamma + \\beta' : ''},\\quad \\gamma, \\beta \\in \\mathbb{R}^{${c}}`;
  },
  summary: (p, inputs) => `${p.num_features ?? inputs.input?.shape[1] ?? '?'} channels`,
  emit: (ctx) => {
    if (ctx.lang !== 'python') return undefined;
    const x = ctx.inputTypes.input;
    const c = ctx.params.num_features ?? x?.shape[1];
    const cls = x && x.shape.length === 4 ? 'BatchNorm2d' : 'BatchNorm1d';
    return pyModule(ctx, `nn.${cls}(${c}, eps=${ctx.params.eps}, momentum=${ctx.params.momentum}, affine=${pyBool(ctx.params.affine)})`);
  },
});

const embeddingParams = defineParams<{ num_embeddings: number; embedding_dim: number }>({
  num_embeddings: intParam({ label: 'Vocabulary size', help: 'Number of distinct token indices (0…V−1).', default: 16, min: 1, max: 1 << 20 }),
  embedding_dim: intParam({ label: 'Embedding size', help: 'Size of each embedding vector.', default: 8, min: 1, max: 1 << 16 }),
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
  formula: ({ params }) => `z_t = E_{x_t},\\quad E \\in \\mathbb{R}^{${params.num_embeddings}\\times ${params.embedding_dim}}`,
  summary: (p) => `${p.num_embeddings} × ${p.embedding_dim}`,
  emit: (ctx) => (ctx.lang === 'python' ? pyModule(ctx, `nn.Embedding(${ctx.params.num_embeddings}, ${ctx.params.embedding_dim})`, `self.${ctx.name}(${pyArg(ctx, 'input')}.long())`) : undefined),
});

export const denseNodeTypes: readonly AnyNodeTypeDef[] = [linearNode, dropoutNode, flattenNode, reshapeNode, addNode, concatNode, batchNormNode, embeddingNode];
