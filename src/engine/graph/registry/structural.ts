import type { EmitContext, EmitResult } from '../emit';
import type { TensorType } from '../nodeType';
import { defineNodeType } from '../nodeType';
import { defineParams, intParam, shapeParam } from '../params';
import { BATCH, broadcastShapes, normalizeDim, sampleSize } from '../shape';
import {
  FLOAT_KINDS,
  INPUT,
  OUT,
  R,
  fail,
  fmt,
  inPort,
  kindForRank,
  ok,
  pyArg,
  pyExpr,
  tsArg,
  tsExpr,
  tsImport,
} from './common';
import { around, kernels, output, port, scratch, shapeOf } from './scratch';

/** From scratch: the same numbers in a new shape; the gradient flows back unchanged. */
function scratchReshape(ctx: EmitContext<unknown>): EmitResult {
  const x = port(ctx, 'input');
  const { z, dz } = output(ctx);
  return scratch(
    kernels('addInto'),
    [`const ${z} = ${x.v}; // the same row-major numbers, read as ${shapeOf(ctx.outputTypes.out.shape)}`],
    x.d ? [`addInto(${x.d}, ${dz}); // ∂L/∂x = ∂L/∂z, read in x's shape`] : [],
  );
}

/** TypeScript: the inferred output shape, with the batch taken from the input at run time. */
function tsReshapeTo(ctx: EmitContext<unknown>): EmitResult {
  const x = tsArg(ctx, 'input');
  const rest = ctx.outputTypes.out.shape.slice(1);
  return tsExpr(
    ctx,
    `reshape(${x}, [${x}.shape[0]${rest.map((d) => `, ${d}`).join('')}])`,
    tsImport('ops/shape', 'reshape'),
  );
}

/** Layers that only move values around or combine them elementwise: Flatten, Reshape, Add, Multiply, Subtract, Divide, Concat. */
const flattenParams = defineParams<{ start_dim: number; end_dim: number }>({
  start_dim: intParam({
    label: 'Start dim',
    help: 'First dimension to flatten (0 is the batch; 1 keeps the batch).',
    default: 1,
    min: 1,
    max: 8,
  }),
  end_dim: intParam({
    label: 'End dim',
    help: 'Last dimension to flatten (−1 is the last).',
    default: -1,
    min: -8,
    max: 8,
  }),
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
    if (!s)
      return fail(`Flatten cannot flatten dimensions ${params.start_dim}…${params.end_dim} of ${fmt(x)}`, 'input');
    return ok({ out: { shape: s, kind: kindForRank(x.kind, s.length) } });
  },
  formula: ({ inputs, outputs }) =>
    inputs.input && outputs?.out
      ? `z = \\mathrm{flatten}(x),\\quad ${R(inputs.input.shape)} \\to ${R(outputs.out.shape)}`
      : 'z = \\mathrm{flatten}(x)',
  summary: (p) => `dims ${p.start_dim}…${p.end_dim}`,
  emit: {
    python: (ctx) =>
      pyExpr(ctx, `torch.flatten(${pyArg(ctx, 'input')}, ${ctx.params.start_dim}, ${ctx.params.end_dim})`),
    ts: tsReshapeTo,
    scratch: scratchReshape,
  },
});

const reshapeParams = defineParams<{ shape: number[] }>({
  shape: shapeParam({
    label: 'Shape',
    help: 'The new shape of one sample, without the batch dimension; one size may be −1 (inferred).',
    default: [-1],
    minRank: 1,
    maxRank: 4,
    allowInfer: true,
  }),
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
    if (!s)
      return fail(
        `Reshape cannot turn ${fmt(x)} into N×${params.shape.join('×')}: each sample has ${sampleSize(x.shape)} elements`,
        'input',
      );
    const shape = [BATCH, ...s];
    return ok({ out: { shape, kind: kindForRank(x.kind === 'indices' ? 'indices' : x.kind, shape.length) } });
  },
  formula: ({ inputs, outputs }) =>
    inputs.input && outputs?.out
      ? `z = \\mathrm{reshape}(x),\\quad ${R(inputs.input.shape)} \\to ${R(outputs.out.shape)}`
      : 'z = \\mathrm{reshape}(x)',
  summary: (p) => `N×${p.shape.join('×')}`,
  emit: {
    python: (ctx) =>
      pyExpr(ctx, `${pyArg(ctx, 'input')}.reshape(${pyArg(ctx, 'input')}.shape[0], ${ctx.params.shape.join(', ')})`),
    ts: tsReshapeTo,
    scratch: scratchReshape,
  },
});

const noParams = defineParams<Record<string, never>>({});

/** An elementwise operation of two tensors with PyTorch broadcasting (Add, Multiply, Subtract, Divide). */
function binaryNode<const T extends string>(spec: {
  type: T;
  title: string;
  description: string;
  /** The operator in LaTeX, Python and the engine's op of ops/arithmetic. */
  latex: string;
  py: string;
  op: 'add' | 'mul' | 'sub' | 'div';
  summary: string;
}) {
  return defineNodeType<Record<string, never>, T>({
    type: spec.type,
    title: spec.title,
    family: 'Layers',
    description: spec.description,
    inputs: [inPort('a', 'a'), inPort('b', 'b')],
    outputs: [OUT],
    params: noParams,
    differentiable: true,
    infer: ({ inputs }) => {
      const { a, b } = inputs;
      if (!a) return fail('port a is not connected', 'a');
      if (!b) return fail('port b is not connected', 'b');
      const s = broadcastShapes(a.shape, b.shape);
      if (!s) return fail(`${spec.title} needs shapes that match (or broadcast): a is ${fmt(a)}, b is ${fmt(b)}`, 'b');
      // The kind follows the operand that has the result's rank (a scalar parameter times a sequence is a sequence).
      const kind = a.shape.length === s.length ? a.kind : b.kind;
      return ok({ out: { shape: s, kind: kindForRank(kind, s.length) } });
    },
    formula: ({ outputs }) => `z = ${spec.latex}${outputs?.out ? `,\\quad z \\in ${R(outputs.out.shape)}` : ''}`,
    summary: () => spec.summary,
    emit: {
      python: (ctx) => pyExpr(ctx, `${pyArg(ctx, 'a')} ${spec.py} ${pyArg(ctx, 'b')}`),
      ts: (ctx) =>
        tsExpr(ctx, `${spec.op}(${tsArg(ctx, 'a')}, ${tsArg(ctx, 'b')})`, tsImport('ops/arithmetic', spec.op)),
      scratch: (ctx) => {
        const [a, b] = [port(ctx, 'a'), port(ctx, 'b')];
        const { z, dz } = output(ctx);
        const op = JSON.stringify(spec.op);
        const args = `${a.v}, ${shapeOf(a.t.shape)}, ${b.v}, ${shapeOf(b.t.shape)}, ${shapeOf(ctx.outputTypes.out.shape)}`;
        const slope: Record<typeof spec.op, [string, string]> = {
          add: ['∂L/∂z', '∂L/∂z'],
          sub: ['∂L/∂z', '−∂L/∂z'],
          mul: ['∂L/∂z ⊙ b', '∂L/∂z ⊙ a'],
          div: ['∂L/∂z / b', '−∂L/∂z ⊙ a / b²'],
        };
        const back = (p: typeof a, which: 'a' | 'b', note: string) =>
          p.d
            ? [
                `binaryBackward(${op}, '${which}', ${dz}, ${args}, ${p.d}); // ∂L/∂${which} = ${note}, summed over broadcast axes`,
              ]
            : [];
        return scratch(
          kernels('binaryForward'),
          [`const ${z} = binaryForward(${op}, ${args});`],
          [...back(a, 'a', slope[spec.op][0]), ...back(b, 'b', slope[spec.op][1])],
        );
      },
    },
  });
}

export const addNode = binaryNode({
  type: 'Add',
  title: 'Add',
  description: 'Elementwise sum of two tensors (with broadcasting), e.g. a residual connection.',
  latex: 'a + b',
  py: '+',
  op: 'add',
  summary: 'a + b',
});

export const multiplyNode = binaryNode({
  type: 'Multiply',
  title: 'Multiply',
  description: 'Elementwise product of two tensors (with broadcasting), e.g. a gate or a scalar weight.',
  latex: 'a \\odot b',
  py: '*',
  op: 'mul',
  summary: 'a · b',
});

export const subtractNode = binaryNode({
  type: 'Subtract',
  title: 'Subtract',
  description: 'Elementwise difference a − b of two tensors (with broadcasting).',
  latex: 'a - b',
  py: '-',
  op: 'sub',
  summary: 'a − b',
});

export const divideNode = binaryNode({
  type: 'Divide',
  title: 'Divide',
  description: 'Elementwise quotient a / b of two tensors (with broadcasting).',
  latex: '\\frac{a}{b}',
  py: '/',
  op: 'div',
  summary: 'a / b',
});

const concatParams = defineParams<{ dim: number }>({
  dim: intParam({
    label: 'Dimension',
    help: 'The dimension to join along (PyTorch numbering: 0 is the batch, −1 the last).',
    default: -1,
    min: -8,
    max: 8,
  }),
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
      if (!same)
        return fail(
          `Concat needs shapes that agree except along dimension ${params.dim}: a is ${fmt(first)}, ${p} is ${fmt(t)}`,
          p,
        );
      size += t.shape[d];
    }
    const shape = first.shape.map((x, i) => (i === d ? size : x));
    return ok({ out: { shape, kind: kindForRank(first.kind, shape.length) } });
  },
  formula: ({ inputs }) => `z = [\\,a;\\ b${inputs.c ? ';\\ c' : ''}\\,]`,
  summary: (p) => `dim ${p.dim}`,
  emit: {
    python: (ctx) => {
      const args = ['a', 'b', 'c'].filter((p) => ctx.inputs[p]).map((p) => ctx.inputs[p]);
      return pyExpr(ctx, `torch.cat([${args.join(', ')}], dim=${ctx.params.dim})`);
    },
    ts: (ctx) => {
      const rank = ctx.outputTypes.out.shape.length;
      const dim = ctx.params.dim < 0 ? ctx.params.dim + rank : ctx.params.dim;
      const parts = ['a', 'b', 'c'].filter((k) => ctx.inputs[k]).map((k) => ctx.inputs[k]);
      return tsExpr(ctx, `concat([${parts.join(', ')}], ${dim})`, tsImport('ops/shape', 'concat'));
    },
    scratch: (ctx) => {
      const shape = ctx.outputTypes.out.shape;
      const d = ctx.params.dim < 0 ? ctx.params.dim + shape.length : ctx.params.dim;
      const { outer, C, inner } = around(shape, d);
      const parts = ['a', 'b', 'c'].filter((k) => ctx.inputs[k]).map((k) => ({ k, ...port(ctx, k) }));
      const { z, dz } = output(ctx);
      let offset = 0;
      const backward: string[] = [];
      for (const p of parts) {
        const size = p.t.shape[d];
        if (p.d)
          backward.push(
            `concatBackward(${dz}, ${outer}, ${C}, ${inner}, ${offset}, ${size}, ${p.d}); // ∂L/∂${p.k} = ∂L/∂z[${offset}…${offset + size - 1}]`,
          );
        offset += size;
      }
      return scratch(
        kernels('concatForward', 'concatBackward'),
        [
          `const ${z} = concatForward([${parts.map((p) => p.v).join(', ')}], ${outer}, [${parts.map((p) => p.t.shape[d]).join(', ')}], ${inner});`,
        ],
        backward,
      );
    },
  },
});

export const structuralNodeTypes = [
  flattenNode,
  reshapeNode,
  addNode,
  multiplyNode,
  subtractNode,
  divideNode,
  concatNode,
] as const;
