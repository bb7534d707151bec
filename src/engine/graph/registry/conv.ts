import type { TensorType } from '../nodeType';
import { defineNodeType } from '../nodeType';
import { autoIntParam, boolParam, defineParams, intParam } from '../params';
import type { InferResult } from '../nodeType';
import { INPUT, OUT, R, fail, fmt, ok, pyBool, pyModule, tsLayer, tsLit } from './common';
import type { EmitContext } from '../emit';
import { grad, kernels, output, param, port, scratch } from './scratch';

/** From scratch: the geometry object of a convolution or pooling node, declared before its call. */
function scratchGeometry(ctx: EmitContext<unknown>, k: number, stride: number, pad: number, dil: number): string {
  const [, C, H, W] = port(ctx, 'input').t.shape;
  const [, O, Ho, Wo] = ctx.outputTypes.out.shape;
  return `const ${ctx.name}_g: Conv2dShape = { N, C: ${C}, H: ${H}, W: ${W}, O: ${O}, Ho: ${Ho}, Wo: ${Wo}, k: ${k}, stride: ${stride}, pad: ${pad}, dil: ${dil} };`;
}

/** PyTorch's output size: ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1. */
export function convOutSize(size: number, kernel: number, stride: number, padding: number, dilation = 1): number {
  return Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

function spatial(
  x: TensorType,
  kernel: number,
  stride: number,
  padding: number,
  dilation: number,
  what: string,
): InferResult | [number, number] {
  if (x.shape.length !== 4) return fail(`${what} needs N×C×H×W on its input port, but receives ${fmt(x)}`, 'input');
  const h = convOutSize(x.shape[2], kernel, stride, padding, dilation);
  const w = convOutSize(x.shape[3], kernel, stride, padding, dilation);
  if (h < 1 || w < 1)
    return fail(
      `${what}'s ${kernel}×${kernel} window (padding ${padding}, dilation ${dilation}) does not fit the ${x.shape[2]}×${x.shape[3]} input ${fmt(x)}`,
      'input',
    );
  return [h, w];
}

/** The fields of a square filter that Conv2d and the p4 convolutions share (each adds its own count and bias). */
export const filterFields = {
  in_channels: autoIntParam({
    label: 'In channels',
    help: 'Channels of the input (C); leave empty to take it from the input.',
    default: null,
    min: 1,
    max: 1 << 16,
  }),
  kernel_size: intParam({ label: 'Kernel size', help: 'Side of the square filter.', default: 3, min: 1, max: 64 }),
  stride: intParam({ label: 'Stride', help: 'Step between filter positions.', default: 1, min: 1, max: 64 }),
  padding: (byDefault: number) =>
    intParam({ label: 'Padding', help: 'Zeros added on each side.', default: byDefault, min: 0, max: 64 }),
};

const convParams = defineParams<{
  in_channels: number | null;
  out_channels: number;
  kernel_size: number;
  stride: number;
  padding: number;
  dilation: number;
  bias: boolean;
}>({
  in_channels: filterFields.in_channels,
  out_channels: intParam({
    label: 'Out channels',
    help: 'Number of filters, i.e. output feature maps.',
    default: 8,
    min: 1,
    max: 1 << 16,
  }),
  kernel_size: filterFields.kernel_size,
  stride: filterFields.stride,
  padding: filterFields.padding(0),
  dilation: intParam({ label: 'Dilation', help: 'Spacing between filter taps.', default: 1, min: 1, max: 64 }),
  bias: boolParam({ label: 'Bias', help: 'Learn one bias per output channel.', default: true }),
});

export const conv2dNode = defineNodeType({
  type: 'Conv2d',
  title: 'Conv2d',
  family: 'Layers',
  description:
    'A 2-D convolution over N×C×H×W feature maps: each output channel slides a learned filter over every input channel.',
  inputs: [INPUT],
  outputs: [OUT],
  params: convParams,
  differentiable: true,
  infer: ({ params: p, inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    const hw = spatial(x, p.kernel_size, p.stride, p.padding, p.dilation, 'Conv2d');
    if (!Array.isArray(hw)) return hw;
    if (p.in_channels !== null && x.shape[1] !== p.in_channels)
      return fail(
        `Conv2d expects ${p.in_channels} input channels (in_channels), but its input port receives ${fmt(x)}`,
        'input',
      );
    return ok({ out: { shape: [x.shape[0], p.out_channels, hw[0], hw[1]], kind: 'tensor' } });
  },
  parameters: (p, inputs) => {
    const c = p.in_channels ?? inputs.input?.shape[1] ?? 0;
    return p.out_channels * c * p.kernel_size * p.kernel_size + (p.bias ? p.out_channels : 0);
  },
  formula: ({ params: p, inputs }) => {
    const c = p.in_channels ?? inputs.input?.shape[1] ?? 'C';
    const k = p.kernel_size;
    return `Z_{o} = ${p.bias ? 'b_o + ' : ''}\\sum_{c} W_{o,c} \\star X_{c},\\quad W \\in \\mathbb{R}^{${p.out_channels}\\times ${c}\\times ${k}\\times ${k}}${p.bias ? `,\\; b \\in \\mathbb{R}^{${p.out_channels}}` : ''}`;
  },
  summary: (p, inputs) =>
    `${p.in_channels ?? inputs.input?.shape[1] ?? '?'}→${p.out_channels}, ${p.kernel_size}×${p.kernel_size}${p.stride !== 1 ? `, stride ${p.stride}` : ''}${p.padding ? `, pad ${p.padding}` : ''}`,
  emit: {
    scratch: (ctx) => {
      const p = ctx.params;
      const x = port(ctx, 'input');
      const { z, dz } = output(ctx);
      const g = `${ctx.name}_g`;
      const [K, b] = [param(ctx, 'weight'), param(ctx, 'bias')];
      const [, O, Ho, Wo] = ctx.outputTypes.out.shape;
      return scratch(
        kernels('conv2dForward', 'conv2dBackwardBias'),
        [
          scratchGeometry(ctx, p.kernel_size, p.stride, p.padding, p.dilation),
          `const ${z} = conv2dForward(${x.v}, ${g}, ${K}, ${p.bias ? b : 'null'});`,
        ],
        [
          `conv2dBackward(${dz}, ${x.v}, ${g}, ${K}, ${grad(ctx, 'weight')}, null); // ∂L/∂K[o,c] = Σₙ ∂L/∂Z[n,o] ⋆ X[n,c]`,
          ...(p.bias
            ? [`conv2dBackwardBias(${dz}, N, ${O}, ${Ho * Wo}, ${grad(ctx, 'bias')}); // ∂L/∂b[o] = Σ ∂L/∂Z[·,o,·,·]`]
            : []),
          ...(x.d
            ? [
                `conv2dBackward(${dz}, ${x.v}, ${g}, ${K}, null, ${x.d}); // ∂L/∂X[n,c] = Σₒ ∂L/∂Z[n,o] ∗ K[o,c] (full convolution)`,
              ]
            : []),
        ],
        [
          { name: 'weight', shape: [O, x.t.shape[1], p.kernel_size, p.kernel_size] },
          ...(p.bias ? [{ name: 'bias', shape: [O] }] : []),
        ],
      );
    },
    python: (ctx) => {
      const p = ctx.params;
      const c = p.in_channels ?? ctx.inputTypes.input?.shape[1];
      return pyModule(
        ctx,
        `nn.Conv2d(${c}, ${p.out_channels}, kernel_size=${p.kernel_size}, stride=${p.stride}, padding=${p.padding}, dilation=${p.dilation}, bias=${pyBool(p.bias)})`,
      );
    },
    ts: (ctx) => {
      const p = ctx.params;
      const c = p.in_channels ?? ctx.inputTypes.input?.shape[1];
      const o = `{ stride: ${p.stride}, padding: ${p.padding}, dilation: ${p.dilation}, bias: ${p.bias}, dtype }`;
      return tsLayer(ctx, 'Conv2d', 'nn/conv', `new Conv2d(${c}, ${p.out_channels}, ${p.kernel_size}, rng, ${o})`);
    },
  },
});

const poolParams = defineParams<{ kernel_size: number; stride: number | null; padding: number }>({
  kernel_size: intParam({
    label: 'Kernel size',
    help: 'Side of the square pooling window.',
    default: 2,
    min: 1,
    max: 64,
  }),
  stride: autoIntParam({
    label: 'Stride',
    help: 'Step between windows; empty means the kernel size.',
    default: null,
    min: 1,
    max: 64,
  }),
  padding: intParam({
    label: 'Padding',
    help: 'Padding on each side (at most half the kernel size).',
    default: 0,
    min: 0,
    max: 32,
  }),
});

function poolNode<const T extends 'MaxPool2d' | 'AvgPool2d'>(type: T) {
  const isMax = type === 'MaxPool2d';
  return defineNodeType({
    type,
    title: type,
    family: 'Layers',
    description: isMax
      ? 'Keeps the largest value of each window of each feature map.'
      : 'Averages each window of each feature map.',
    inputs: [INPUT],
    outputs: [OUT],
    params: poolParams,
    differentiable: true,
    infer: ({ params: p, inputs }) => {
      const x = inputs.input;
      if (!x) return fail('the input port is not connected', 'input');
      if (p.padding * 2 > p.kernel_size)
        return fail(`${type}'s padding (${p.padding}) must be at most half the kernel size (${p.kernel_size})`);
      const hw = spatial(x, p.kernel_size, p.stride ?? p.kernel_size, p.padding, 1, type);
      if (!Array.isArray(hw)) return hw;
      return ok({ out: { shape: [x.shape[0], x.shape[1], hw[0], hw[1]], kind: 'tensor' } });
    },
    formula: ({ params: p, outputs }) =>
      `Z_{c,i,j} = ${isMax ? '\\max' : '\\operatorname{mean}'}_{(u,v) \\in \\mathcal{W}_{i,j}} X_{c,u,v},\\quad |\\mathcal{W}| = ${p.kernel_size}\\times ${p.kernel_size}${outputs?.out ? `,\\; Z \\in ${R(outputs.out.shape)}` : ''}`,
    summary: (p) =>
      `${p.kernel_size}×${p.kernel_size}${p.stride !== null && p.stride !== p.kernel_size ? `, stride ${p.stride}` : ''}${p.padding ? `, pad ${p.padding}` : ''}`,
    emit: {
      scratch: (ctx) => {
        const p = ctx.params;
        const x = port(ctx, 'input');
        const { z, dz } = output(ctx);
        const g = `${ctx.name}_g`;
        const from = `${ctx.name}_from`;
        const geometry = scratchGeometry(ctx, p.kernel_size, p.stride ?? p.kernel_size, p.padding, 1);
        return isMax
          ? scratch(
              kernels('pool2dForward', 'maxPool2dBackward'),
              [geometry, `const [${z}, ${from}] = pool2dForward(${x.v}, ${g}, true);`],
              x.d
                ? [`maxPool2dBackward(${dz}, ${from}, ${x.d}); // ∂L/∂X = ∂L/∂Z at each window's maximum, 0 elsewhere`]
                : [],
            )
          : scratch(
              kernels('pool2dForward', 'avgPool2dBackward'),
              [geometry, `const [${z}] = pool2dForward(${x.v}, ${g}, false);`],
              x.d
                ? [`avgPool2dBackward(${dz}, ${g}, ${x.d}); // ∂L/∂X = Σ over the windows holding X of ∂L/∂Z / k²`]
                : [],
            );
      },
      python: (ctx) => {
        const p = ctx.params;
        return pyModule(
          ctx,
          `nn.${type}(kernel_size=${p.kernel_size}, stride=${p.stride ?? p.kernel_size}, padding=${p.padding})`,
        );
      },
      ts: (ctx) => {
        const p = ctx.params;
        const o = `{ stride: ${tsLit(p.stride)}, padding: ${p.padding} }`;
        return tsLayer(ctx, type, 'nn/pooling', `new ${type}(${p.kernel_size}, ${o})`);
      },
    },
  });
}

export const maxPool2dNode = poolNode('MaxPool2d');
export const avgPool2dNode = poolNode('AvgPool2d');

export const convNodeTypes = [conv2dNode, maxPool2dNode, avgPool2dNode] as const;
