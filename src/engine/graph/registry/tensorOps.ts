import type { EmitContext, EmitResult } from '../emit';
import type { InferResult, TensorType } from '../nodeType';
import { defineNodeType } from '../nodeType';
import { autoIntParam, boolParam, defineParams, dimsParam, enumParam, intParam } from '../params';
import { BATCH, normalizeDim } from '../shape';
import type { Shape } from '../shape';
import { INPUT, OUT, R, fail, fmt, kindForRank, ok, pyArg, pyExpr, tsArg, tsExpr, tsImport } from './common';
import { around, kernels, output, port, scratch, shapeOf } from './scratch';

/** From scratch: the values a precomputed index picks (Select, Slice, Transpose, Permute); the gradient goes back to where each came from. */
function scratchGather(ctx: EmitContext<unknown>, index: string, note: string): EmitResult {
  const x = port(ctx, 'input');
  const { z, dz } = output(ctx);
  const at = `${ctx.name}_index`;
  return scratch(
    kernels('gatherForward', 'gatherBackward', index.startsWith('axisIndex') ? 'axisIndex' : 'permuteIndex'),
    [`const ${at} = ${index};`, `const ${z} = gatherForward(${x.v}, ${at});`],
    x.d ? [`gatherBackward(${dz}, ${at}, ${x.d}); // ${note}`] : [],
  );
}

/** `axisIndex(outer, size, inner, [positions])` around dimension `d` of the input. */
function axisIndexCall(ctx: EmitContext<unknown>, d: number, positions: readonly number[]): string {
  const { outer, C, inner } = around(port(ctx, 'input').t.shape, d);
  return `axisIndex(${outer}, ${C}, ${inner}, [${positions.join(', ')}])`;
}

/** From scratch: output dimension i is input dimension perm[i]. */
const scratchPermute = (ctx: EmitContext<unknown>, perm: readonly number[], note: string): EmitResult =>
  scratchGather(ctx, `permuteIndex(${shapeOf(port(ctx, 'input').t.shape)}, [${perm.join(', ')}])`, note);

/*
 * Tensor plumbing: Select, Slice, Reduce, Transpose, Permute. Dimensions are numbered as in
 * PyTorch over the whole tensor, as on the edges: on N×T×F, 0 is the batch N, 1 the time axis,
 * 2 (or −1) the features; negative numbers count from the end. These nodes work inside each
 * sample, so they refuse the batch dimension (a scalar without a batch has none to refuse).
 */

const DIM_HELP =
  'Numbered as on the edges, batch included: on N×T×F, 1 is T and 2 (or −1) is F; 0, the batch, cannot be chosen.';

/** Resolves `dim` on a shape, refusing the batch axis; a message on failure. */
export function sampleDim(dim: number, shape: Shape): number | string {
  const d = normalizeDim(dim, shape.length);
  if (d === undefined)
    return shape.length === 0
      ? 'a scalar has no dimension to choose'
      : `dimension ${dim} does not exist (the dimensions are ${-shape.length}…${shape.length - 1})`;
  if (d === 0 && shape[0] === BATCH)
    return `dimension ${dim} is the batch N; choose one of a sample’s dimensions (1…${shape.length - 1})`;
  return d;
}

/** Python's slice positions on an axis of `size` (negative start/end from the end, clamped). */
export function slicePositions(size: number, start: number, end: number | null, step: number): number[] {
  const clamp = (v: number): number => Math.min(size, Math.max(0, v < 0 ? v + size : v));
  const s = clamp(start);
  const e = end === null ? size : clamp(end);
  const out: number[] = [];
  for (let i = s; i < e; i += step) out.push(i);
  return out;
}

/** `x[:, :, 1:3]` — Python indexing that leaves the other dimensions whole. */
function pyIndex(x: string, d: number, what: string): string {
  return `${x}[${[...Array<string>(d).fill(':'), what].join(', ')}]`;
}

/** The dimension normalised against the input's rank (emitters run after inference succeeded). */
function dimOf(ctx: EmitContext<unknown>, dim: number, port = 'input'): number {
  const rank = ctx.inputTypes[port]?.shape.length ?? 0;
  return dim < 0 ? dim + rank : dim;
}

const out = (x: TensorType, shape: Shape): InferResult =>
  ok({ out: { shape, kind: kindForRank(x.kind, shape.length) } });

const selectParams = defineParams<{ dim: number; index: number }>({
  dim: intParam({ label: 'Dimension', help: `The dimension to pick from. ${DIM_HELP}`, default: 1, min: -8, max: 8 }),
  index: intParam({
    label: 'Index',
    help: 'The position along that dimension; negative counts from the end (−1 is the last time step).',
    default: -1,
    min: -1_000_000,
    max: 1_000_000,
  }),
});

export const selectNode = defineNodeType({
  type: 'Select',
  title: 'Select',
  family: 'Layers',
  description: 'Picks one index along a dimension and drops that dimension (e.g. the last time step): torch.select.',
  inputs: [INPUT],
  outputs: [OUT],
  params: selectParams,
  differentiable: true,
  infer: ({ params, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    const d = sampleDim(params.dim, x.shape);
    if (typeof d === 'string') return fail(`Select cannot pick from ${fmt(x)}: ${d}`, 'input');
    const n = x.shape[d];
    if (params.index < -n || params.index >= n)
      return fail(
        `Select's index ${params.index} is outside dimension ${params.dim} of ${fmt(x)}, which has ${n} positions (${-n}…${n - 1})`,
        'input',
      );
    return out(
      x,
      x.shape.filter((_, i) => i !== d),
    );
  },
  formula: ({ params, inputs, outputs }) => {
    const rank = inputs.input?.shape.length ?? 0;
    const d = params.dim < 0 ? params.dim + rank : params.dim;
    const idx = Array.from({ length: Math.max(rank, d + 1) }, (_, i) => (i === d ? String(params.index) : ':'));
    const shapes = inputs.input && outputs?.out ? `,\\quad ${R(inputs.input.shape)} \\to ${R(outputs.out.shape)}` : '';
    return `z = x[${idx.join(', ')}]${shapes}`;
  },
  summary: (p) => `dim ${p.dim}, index ${p.index}`,
  emit: {
    python: (ctx) => pyExpr(ctx, pyIndex(pyArg(ctx, 'input'), dimOf(ctx, ctx.params.dim), String(ctx.params.index))),
    ts: (ctx) =>
      tsExpr(
        ctx,
        `select(${tsArg(ctx, 'input')}, ${dimOf(ctx, ctx.params.dim)}, ${ctx.params.index})`,
        tsImport('ops/select', 'select'),
      ),
    scratch: (ctx) => {
      const d = dimOf(ctx, ctx.params.dim);
      const size = port(ctx, 'input').t.shape[d];
      const i = ctx.params.index < 0 ? ctx.params.index + size : ctx.params.index;
      return scratchGather(ctx, axisIndexCall(ctx, d, [i]), `∂L/∂x[…, ${i}, …] = ∂L/∂z, 0 elsewhere`);
    },
  },
});

const sliceParams = defineParams<{ dim: number; start: number; end: number | null; step: number }>({
  dim: intParam({ label: 'Dimension', help: `The dimension to slice. ${DIM_HELP}`, default: 1, min: -8, max: 8 }),
  start: intParam({
    label: 'Start',
    help: 'The first position kept; negative counts from the end (as in Python’s x[start:end:step]).',
    default: 0,
    min: -1_000_000,
    max: 1_000_000,
  }),
  end: autoIntParam({
    label: 'End',
    help: 'The position to stop before; negative counts from the end; empty means to the end.',
    default: null,
    min: -1_000_000,
    max: 1_000_000,
  }),
  step: intParam({
    label: 'Step',
    help: 'Keep every step-th position (1 keeps them all).',
    default: 1,
    min: 1,
    max: 1_000_000,
  }),
});

const sliceText = (p: { start: number; end: number | null; step: number }): string =>
  `${p.start === 0 ? '' : p.start}:${p.end ?? ''}${p.step === 1 ? '' : `:${p.step}`}`;

export const sliceNode = defineNodeType({
  type: 'Slice',
  title: 'Slice',
  family: 'Layers',
  description: 'Keeps the positions start:end:step along one dimension, as Python slicing does.',
  inputs: [INPUT],
  outputs: [OUT],
  params: sliceParams,
  differentiable: true,
  infer: ({ params, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    const d = sampleDim(params.dim, x.shape);
    if (typeof d === 'string') return fail(`Slice cannot slice ${fmt(x)}: ${d}`, 'input');
    const k = slicePositions(x.shape[d], params.start, params.end, params.step).length;
    if (k === 0)
      return fail(
        `Slice ${sliceText(params)} keeps nothing of dimension ${params.dim} of ${fmt(x)} (size ${x.shape[d]})`,
        'input',
      );
    return out(
      x,
      x.shape.map((s, i) => (i === d ? k : s)),
    );
  },
  formula: ({ params, inputs, outputs }) => {
    const rank = inputs.input?.shape.length ?? 0;
    const d = params.dim < 0 ? params.dim + rank : params.dim;
    const idx = Array.from({ length: Math.max(rank, d + 1) }, (_, i) => (i === d ? sliceText(params) : ':'));
    const shapes = inputs.input && outputs?.out ? `,\\quad ${R(inputs.input.shape)} \\to ${R(outputs.out.shape)}` : '';
    return `z = x[${idx.join(', ')}]${shapes}`;
  },
  summary: (p) => `dim ${p.dim}, ${sliceText(p)}`,
  emit: {
    python: (ctx) => pyExpr(ctx, pyIndex(pyArg(ctx, 'input'), dimOf(ctx, ctx.params.dim), sliceText(ctx.params))),
    ts: (ctx) => {
      const p = ctx.params;
      return tsExpr(
        ctx,
        `sliceStep(${tsArg(ctx, 'input')}, ${dimOf(ctx, p.dim)}, ${p.start}, ${p.end === null ? 'null' : p.end}, ${p.step})`,
        tsImport('ops/select', 'sliceStep'),
      );
    },
    scratch: (ctx) => {
      const p = ctx.params;
      const d = dimOf(ctx, p.dim);
      const at = slicePositions(port(ctx, 'input').t.shape[d], p.start, p.end, p.step);
      return scratchGather(ctx, axisIndexCall(ctx, d, at), '∂L/∂x = ∂L/∂z at the kept positions, 0 elsewhere');
    },
  },
});

type ReduceOp = 'mean' | 'sum' | 'max';
const reduceParams = defineParams<{ op: ReduceOp; dim: number; keepdim: boolean }>({
  op: enumParam({
    label: 'Operation',
    help: 'Mean (e.g. average over time before a classifier), sum, or max (its gradient goes to the first largest entry, as torch.max(x, dim)).',
    default: 'mean',
    values: ['mean', 'sum', 'max'] as const,
    options: { mean: 'Mean', sum: 'Sum', max: 'Max' },
  }),
  dim: intParam({ label: 'Dimension', help: `The dimension to reduce. ${DIM_HELP}`, default: 1, min: -8, max: 8 }),
  keepdim: boolParam({ label: 'Keep dim', help: 'Keep the reduced dimension with size 1.', default: false }),
});

const REDUCE_LATEX: Record<ReduceOp, string> = { mean: '\\frac{1}{n}\\sum_{k}', sum: '\\sum_{k}', max: '\\max_{k}' };

export const reduceNode = defineNodeType({
  type: 'Reduce',
  title: 'Reduce',
  family: 'Layers',
  description: 'Mean, sum or max over one dimension (mean over time is the usual pooling of a sequence).',
  inputs: [INPUT],
  outputs: [OUT],
  params: reduceParams,
  differentiable: true,
  infer: ({ params, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    const d = sampleDim(params.dim, x.shape);
    if (typeof d === 'string') return fail(`Reduce cannot reduce ${fmt(x)}: ${d}`, 'input');
    const shape = params.keepdim ? x.shape.map((s, i) => (i === d ? 1 : s)) : x.shape.filter((_, i) => i !== d);
    return out(x, shape);
  },
  formula: ({ params, inputs, outputs }) => {
    const shapes = inputs.input && outputs?.out ? `,\\quad ${R(inputs.input.shape)} \\to ${R(outputs.out.shape)}` : '';
    return `z = ${REDUCE_LATEX[params.op]}\\, x_{\\dots k \\dots}\\ \\text{(dim ${params.dim})}${shapes}`;
  },
  summary: (p) => `${p.op} over dim ${p.dim}${p.keepdim ? ', keepdim' : ''}`,
  emit: {
    python: (ctx) => {
      const { op, keepdim } = ctx.params;
      const d = dimOf(ctx, ctx.params.dim);
      const call = `${pyArg(ctx, 'input')}.${op}(dim=${d}${keepdim ? ', keepdim=True' : ''})`;
      return pyExpr(ctx, op === 'max' ? `${call}.values` : call);
    },
    ts: (ctx) => {
      const { op, keepdim } = ctx.params;
      const d = dimOf(ctx, ctx.params.dim);
      const fn = op === 'max' ? 'maxAlong' : op;
      return tsExpr(
        ctx,
        `${fn}(${tsArg(ctx, 'input')}, ${d}, ${String(keepdim)})`,
        op === 'max' ? tsImport('ops/select', 'maxAlong') : tsImport('ops/reduce', op),
      );
    },
    scratch: (ctx) => {
      const x = port(ctx, 'input');
      const { z, dz } = output(ctx);
      const { op } = ctx.params;
      const { outer, C, inner } = around(x.t.shape, dimOf(ctx, ctx.params.dim));
      const from = `${ctx.name}_from`;
      const dims = `${outer}, ${C}, ${inner}, ${JSON.stringify(op)}`;
      const note = {
        sum: '∂L/∂x_k = ∂L/∂z',
        mean: '∂L/∂x_k = ∂L/∂z / K',
        max: '∂L/∂x_k = ∂L/∂z at the first maximum, 0 elsewhere',
      }[op];
      return scratch(
        kernels('reduceForward', 'reduceBackward'),
        [`const [${z}, ${from}] = reduceForward(${x.v}, ${dims});`],
        x.d ? [`reduceBackward(${dz}, ${from}, ${dims}, ${x.d}); // ${note}`] : [],
      );
    },
  },
});

const transposeParams = defineParams<{ dim0: number; dim1: number }>({
  dim0: intParam({
    label: 'First dim',
    help: `One of the two dimensions to swap. ${DIM_HELP}`,
    default: 1,
    min: -8,
    max: 8,
  }),
  dim1: intParam({ label: 'Second dim', help: `The other dimension. ${DIM_HELP}`, default: 2, min: -8, max: 8 }),
});

export const transposeNode = defineNodeType({
  type: 'Transpose',
  title: 'Transpose',
  family: 'Layers',
  description: 'Swaps two dimensions (e.g. N×T×F into N×F×T): torch.transpose.',
  inputs: [INPUT],
  outputs: [OUT],
  params: transposeParams,
  differentiable: true,
  infer: ({ params, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    const a = sampleDim(params.dim0, x.shape);
    if (typeof a === 'string') return fail(`Transpose cannot swap in ${fmt(x)}: ${a}`, 'input');
    const b = sampleDim(params.dim1, x.shape);
    if (typeof b === 'string') return fail(`Transpose cannot swap in ${fmt(x)}: ${b}`, 'input');
    const shape = x.shape.map((s, i) => (i === a ? x.shape[b] : i === b ? x.shape[a] : s));
    return out(x, shape);
  },
  formula: ({ params, inputs, outputs }) =>
    `z = x^{\\top_{${params.dim0},${params.dim1}}}${
      inputs.input && outputs?.out ? `,\\quad ${R(inputs.input.shape)} \\to ${R(outputs.out.shape)}` : ''
    }`,
  summary: (p) => `dims ${p.dim0} ↔ ${p.dim1}`,
  emit: {
    python: (ctx) => {
      const [a, b] = [dimOf(ctx, ctx.params.dim0), dimOf(ctx, ctx.params.dim1)];
      return pyExpr(ctx, `torch.transpose(${pyArg(ctx, 'input')}, ${a}, ${b})`);
    },
    ts: (ctx) => {
      const [a, b] = [dimOf(ctx, ctx.params.dim0), dimOf(ctx, ctx.params.dim1)];
      return tsExpr(ctx, `transpose(${tsArg(ctx, 'input')}, ${a}, ${b})`, tsImport('ops/shape', 'transpose'));
    },
    scratch: (ctx) => {
      const [a, b] = [dimOf(ctx, ctx.params.dim0), dimOf(ctx, ctx.params.dim1)];
      const perm = port(ctx, 'input').t.shape.map((_, i) => (i === a ? b : i === b ? a : i));
      return scratchPermute(ctx, perm, '∂L/∂x = ∂L/∂z with the two dimensions swapped back');
    },
  },
});

const permuteParams = defineParams<{ dims: number[] }>({
  dims: dimsParam({
    label: 'Order',
    help: 'The new order of all dimensions, batch included and kept first: 0, 2, 1 turns N×T×F into N×F×T.',
    default: [0, 2, 1],
  }),
});

/** The permutation normalised against the rank, or a message. */
export function permutationOf(dims: readonly number[], shape: Shape): number[] | string {
  if (dims.length !== shape.length)
    return `the order lists ${dims.length} dimensions, but the input has ${shape.length}`;
  const p = dims.map((d) => normalizeDim(d, shape.length));
  if (p.some((d) => d === undefined)) return `the order (${dims.join(', ')}) names a dimension that does not exist`;
  const perm = p as number[];
  if (new Set(perm).size !== perm.length) return `the order (${dims.join(', ')}) names a dimension twice`;
  if (shape[0] === BATCH && perm[0] !== 0) return 'the batch dimension 0 must stay first';
  return perm;
}

export const permuteNode = defineNodeType({
  type: 'Permute',
  title: 'Permute',
  family: 'Layers',
  description: 'Reorders all dimensions (output dimension i is input dimension dims[i]): torch.permute.',
  inputs: [INPUT],
  outputs: [OUT],
  params: permuteParams,
  differentiable: true,
  infer: ({ params, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    const p = permutationOf(params.dims, x.shape);
    if (typeof p === 'string') return fail(`Permute cannot reorder ${fmt(x)}: ${p}`, 'input');
    return out(
      x,
      p.map((d) => x.shape[d]),
    );
  },
  formula: ({ params, inputs, outputs }) =>
    `z = \\mathrm{permute}(x;\\ ${params.dims.join(', ')})${
      inputs.input && outputs?.out ? `,\\quad ${R(inputs.input.shape)} \\to ${R(outputs.out.shape)}` : ''
    }`,
  summary: (p) => `(${p.dims.join(', ')})`,
  emit: {
    python: (ctx): EmitResult => {
      const x = ctx.inputTypes.input;
      const p = x ? permutationOf(ctx.params.dims, x.shape) : ctx.params.dims;
      return pyExpr(ctx, `${pyArg(ctx, 'input')}.permute(${(p as number[]).join(', ')})`);
    },
    ts: (ctx) => {
      const x = ctx.inputTypes.input;
      const p = x ? permutationOf(ctx.params.dims, x.shape) : ctx.params.dims;
      return tsExpr(
        ctx,
        `permute(${tsArg(ctx, 'input')}, [${(p as number[]).join(', ')}])`,
        tsImport('ops/shape', 'permute'),
      );
    },
    scratch: (ctx) =>
      scratchPermute(
        ctx,
        permutationOf(ctx.params.dims, port(ctx, 'input').t.shape) as number[],
        '∂L/∂x = ∂L/∂z with the inverse permutation',
      ),
  },
});

export const tensorOpNodeTypes = [selectNode, sliceNode, reduceNode, transposeNode, permuteNode] as const;
