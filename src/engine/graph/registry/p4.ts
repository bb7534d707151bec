import type { EmitContext, EmitResult } from '../emit';
import type { InferResult, TensorType } from '../nodeType';
import { defineNodeType } from '../nodeType';
import { boolParam, defineParams, enumParam, intParam } from '../params';
import { INPUT, OUT, R, fail, fmt, ok, pyBool, pyModule, tsLayer, tsLit } from './common';
import { convOutSize, filterFields } from './conv';
import { grad, kernels, output, param, port, scratch } from './scratch';

/*
 * The p4 group convolutions of Cohen & Welling (2016), "Group Equivariant Convolutional
 * Networks" (the engine's modules: nn/p4.ts, which states the conventions). A p4 map is
 * N×C×4×H×W: axis 2 is the orientation r of a quarter turn rot90ʳ (torch.rot90, dims (−2, −1)).
 * Lifting: Z[n,o,r] = b[o] + Σ_c rot90ʳ(W[o,c]) ⋆ X[n,c]. Group: Z[n,o,r] = b[o] +
 * Σ_{c,s} rot90ʳ(W[o,c,(s − r) mod 4]) ⋆ X[n,c,s]. A quarter turn of the input turns every
 * output map a quarter turn and shifts the orientation axis by one.
 */

export const LIFT_PY = `class P4LiftingConv2d(nn.Module):
    """Lifting convolution Z² → p4 (Cohen & Welling 2016): output orientation r uses the filter turned r quarter turns."""
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        self.stride, self.padding = stride, padding
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, kernel_size, kernel_size))
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if bias:
            bound = 1 / math.sqrt(in_channels * kernel_size * kernel_size)
            self.bias = nn.Parameter(torch.empty(out_channels).uniform_(-bound, bound))
        else:
            self.register_parameter('bias', None)

    def forward(self, x):
        o, c, k, _ = self.weight.shape
        w = torch.stack([torch.rot90(self.weight, r, dims=(-2, -1)) for r in range(4)], dim=1)  # O×4×C×k×k
        b = None if self.bias is None else self.bias.repeat_interleave(4)
        z = F.conv2d(x, w.reshape(4 * o, c, k, k), b, stride=self.stride, padding=self.padding)
        return z.reshape(z.shape[0], o, 4, z.shape[2], z.shape[3])`;

export const GROUP_PY = `class P4GroupConv2d(nn.Module):
    """Group convolution p4 → p4 (Cohen & Welling 2016): output orientation r turns the filter r quarter turns and rolls its orientation axis by r."""
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        super().__init__()
        self.stride, self.padding = stride, padding
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, 4, kernel_size, kernel_size))
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if bias:
            bound = 1 / math.sqrt(in_channels * 4 * kernel_size * kernel_size)
            self.bias = nn.Parameter(torch.empty(out_channels).uniform_(-bound, bound))
        else:
            self.register_parameter('bias', None)

    def forward(self, x):
        o, c, _, k, _ = self.weight.shape
        w = torch.stack([torch.roll(torch.rot90(self.weight, r, dims=(-2, -1)), r, dims=2) for r in range(4)], dim=1)  # O×4×C×4×k×k
        b = None if self.bias is None else self.bias.repeat_interleave(4)
        z = F.conv2d(x.reshape(x.shape[0], 4 * c, x.shape[3], x.shape[4]), w.reshape(4 * o, 4 * c, k, k), b, stride=self.stride, padding=self.padding)
        return z.reshape(z.shape[0], o, 4, z.shape[2], z.shape[3])`;

/** From scratch: the filter bank at the four orientations, and where each entry came from. */
const P4_KERNELS = {
  p4FilterBank: `/** The ordinary (4·O)×(C·G)×k×k bank of a p4 filter W (O×C×G×k×k, G = 1 lifting, 4 group): entry [o,r,c,s] = rot90ʳ(W[o,c,(s − r) mod 4]); also each entry's index in W. */
function p4FilterBank(W: Float64Array, O: number, C: number, G: number, k: number): [Float64Array, Int32Array] {
  const index = new Int32Array(O * 4 * C * G * k * k);
  let at = 0;
  for (let o = 0; o < O; o++)
    for (let r = 0; r < 4; r++)
      for (let c = 0; c < C; c++)
        for (let s = 0; s < G; s++)
          for (let i = 0; i < k; i++)
            for (let j = 0; j < k; j++) {
              // turn back r quarter turns: rot90 maps (u, v) to (k−1−v, u)
              let [u, v] = [i, j];
              for (let t = 0; t < r; t++) [u, v] = [v, k - 1 - u];
              const from = G === 1 ? 0 : (s - r + 4) % 4;
              index[at++] = (((o * C + c) * G + from) * k + u) * k + v;
            }
  return [Float64Array.from(index, (i) => W[i]), index];
}`,
  gatherBackward: `/** ∂L/∂x[index_i] += ∂L/∂z_i: each picked value sends its gradient back where it came from. */
function gatherBackward(dz: Float64Array, index: Int32Array, dx: Float64Array): void {
  for (let i = 0; i < index.length; i++) dx[index[i]] += dz[i];
}`,
};

interface P4ConvParams {
  in_channels: number | null;
  out_channels: number;
  kernel_size: number;
  stride: number;
  padding: number;
  bias: boolean;
}

const p4ConvParams = defineParams<P4ConvParams>({
  in_channels: filterFields.in_channels,
  out_channels: intParam({
    label: 'Out channels',
    help: 'Number of filters; each gives a feature map at 4 orientations.',
    default: 4,
    min: 1,
    max: 1 << 16,
  }),
  kernel_size: filterFields.kernel_size,
  stride: filterFields.stride,
  padding: filterFields.padding(1),
  bias: boolParam({
    label: 'Bias',
    help: 'Learn one bias per output channel (shared by its 4 orientations).',
    default: true,
  }),
});

function p4Node<const T extends 'P4LiftingConv2d' | 'P4GroupConv2d'>(type: T) {
  const lifting = type === 'P4LiftingConv2d';
  const G = lifting ? 1 : 4;
  const what = lifting ? 'P4 Lifting Conv' : 'P4 Group Conv';
  const channels = (p: { in_channels: number | null }, x: TensorType | undefined) => p.in_channels ?? x?.shape[1];
  return defineNodeType({
    type,
    title: what,
    family: 'Layers',
    description: lifting
      ? 'Lifting convolution Z²→p4 (Cohen & Welling 2016): each filter correlated at its 4 quarter turns, N×C×H×W → N×O×4×H×W. Turning the input turns the maps and cycles the orientations.'
      : 'Group convolution p4→p4 (Cohen & Welling 2016): each filter turned and its orientation axis cycled for each of the 4 output orientations, N×C×4×H×W → N×O×4×H×W.',
    inputs: [INPUT],
    outputs: [OUT],
    params: p4ConvParams,
    differentiable: true,
    infer: ({ params: p, inputs }): InferResult => {
      const x = inputs.input;
      if (!x) return fail('the input port is not connected', 'input');
      const rank = lifting ? 4 : 5;
      if (x.shape.length !== rank || (!lifting && x.shape[2] !== 4))
        return fail(
          `${what} needs ${lifting ? 'N×C×H×W (an image)' : 'N×C×4×H×W (a p4 map, e.g. from a P4 Lifting Conv)'} on its input port, but receives ${fmt(x)}`,
          'input',
        );
      if (p.in_channels !== null && x.shape[1] !== p.in_channels)
        return fail(
          `${what} expects ${p.in_channels} input channels (in_channels), but its input port receives ${fmt(x)}`,
          'input',
        );
      const [H, W] = x.shape.slice(-2);
      const h = convOutSize(H, p.kernel_size, p.stride, p.padding);
      const w = convOutSize(W, p.kernel_size, p.stride, p.padding);
      if (h < 1 || w < 1)
        return fail(
          `${what}'s ${p.kernel_size}×${p.kernel_size} filter (padding ${p.padding}) does not fit the ${H}×${W} input ${fmt(x)}`,
          'input',
        );
      return ok({ out: { shape: [x.shape[0], p.out_channels, 4, h, w], kind: 'tensor' } });
    },
    parameters: (p, inputs) => {
      const c = channels(p, inputs.input) ?? 0;
      return p.out_channels * c * G * p.kernel_size * p.kernel_size + (p.bias ? p.out_channels : 0);
    },
    formula: ({ params: p, inputs }) => {
      const c = channels(p, inputs.input) ?? 'C';
      const k = p.kernel_size;
      const b = p.bias ? 'b_o + ' : '';
      const shapeW = lifting
        ? `${p.out_channels}\\times ${c}\\times ${k}\\times ${k}`
        : `${p.out_channels}\\times ${c}\\times 4\\times ${k}\\times ${k}`;
      return lifting
        ? `Z_{o,r} = ${b}\\sum_{c} \\operatorname{rot}_{90}^{r}(W_{o,c}) \\star X_{c},\\quad r = 0..3,\\; W \\in \\mathbb{R}^{${shapeW}}`
        : `Z_{o,r} = ${b}\\sum_{c,s} \\operatorname{rot}_{90}^{r}(W_{o,c,(s-r) \\bmod 4}) \\star X_{c,s},\\quad r = 0..3,\\; W \\in \\mathbb{R}^{${shapeW}}`;
    },
    summary: (p, inputs) =>
      `${channels(p, inputs.input) ?? '?'}→${p.out_channels}×4, ${p.kernel_size}×${p.kernel_size}${p.stride !== 1 ? `, stride ${p.stride}` : ''}${p.padding ? `, pad ${p.padding}` : ''}`,
    emit: {
      scratch: (ctx) => scratchP4(ctx, G),
      python: (ctx) => {
        const p = ctx.params;
        const c = channels(p, ctx.inputTypes.input);
        return {
          ...pyModule(
            ctx,
            `${type}(${c}, ${p.out_channels}, ${p.kernel_size}, stride=${p.stride}, padding=${p.padding}, bias=${pyBool(p.bias)})`,
          ),
          helpers: [lifting ? LIFT_PY : GROUP_PY],
        };
      },
      ts: (ctx) => {
        const p = ctx.params;
        const c = channels(p, ctx.inputTypes.input);
        const o = `{ stride: ${p.stride}, padding: ${p.padding}, bias: ${p.bias}, dtype }`;
        return tsLayer(ctx, type, 'nn/p4', `new ${type}(${c}, ${p.out_channels}, ${p.kernel_size}, rng, ${o})`);
      },
    },
  });
}

/** From scratch: the bank of the four orientations (a gather of W), then an ordinary convolution. */
function scratchP4(ctx: EmitContext<P4ConvParams>, G: 1 | 4): EmitResult {
  const p = ctx.params;
  const x = port(ctx, 'input');
  const { z, dz } = output(ctx);
  const C = x.t.shape[1];
  const [H, W] = x.t.shape.slice(-2);
  const [, O, , Ho, Wo] = ctx.outputTypes.out.shape;
  const k = p.kernel_size;
  const [g, K, idx, b, dK] = ['g', 'K', 'from', 'b', 'dK'].map((s) => `${ctx.name}_${s}`);
  return scratch(
    [...kernels('conv2dForward', 'conv2dBackwardBias'), P4_KERNELS.p4FilterBank, P4_KERNELS.gatherBackward],
    [
      `const ${g}: Conv2dShape = { N, C: ${C * G}, H: ${H}, W: ${W}, O: ${4 * O}, Ho: ${Ho}, Wo: ${Wo}, k: ${k}, stride: ${p.stride}, pad: ${p.padding}, dil: 1 };`,
      `const [${K}, ${idx}] = p4FilterBank(${param(ctx, 'weight')}, ${O}, ${C}, ${G}, ${k}); // every filter at its 4 orientations`,
      ...(p.bias
        ? [`const ${b} = Float64Array.from({ length: ${4 * O} }, (_, i) => ${param(ctx, 'bias')}[Math.floor(i / 4)]);`]
        : []),
      `const ${z} = conv2dForward(${x.v}, ${g}, ${K}, ${p.bias ? b : 'null'}); // N×${4 * O}×${Ho}×${Wo} is N×${O}×4×${Ho}×${Wo}`,
    ],
    [
      `const ${dK} = new Float64Array(${K}.length);`,
      `conv2dBackward(${dz}, ${x.v}, ${g}, ${K}, ${dK}, null); // ∂L/∂K[o,r] = Σₙ ∂L/∂Z[n,o,r] ⋆ X[n]`,
      `gatherBackward(${dK}, ${idx}, ${grad(ctx, 'weight')}); // ∂L/∂W: the 4 turned copies' gradients, turned back and added`,
      ...(p.bias
        ? [`conv2dBackwardBias(${dz}, N, ${O}, ${4 * Ho * Wo}, ${grad(ctx, 'bias')}); // ∂L/∂b[o] = Σ ∂L/∂Z[·,o,·,·,·]`]
        : []),
      ...(x.d
        ? [`conv2dBackward(${dz}, ${x.v}, ${g}, ${K}, null, ${x.d}); // ∂L/∂X = Σ ∂L/∂Z ∗ K (full convolution)`]
        : []),
    ],
    [
      { name: 'weight', shape: G === 1 ? [O, C, k, k] : [O, C, 4, k, k] },
      ...(p.bias ? [{ name: 'bias', shape: [O] }] : []),
    ],
  );
}

export const p4LiftingConvNode = p4Node('P4LiftingConv2d');
export const p4GroupConvNode = p4Node('P4GroupConv2d');

const poolParams = defineParams<{ mode: 'max' | 'mean' }>({
  mode: enumParam({
    label: 'Pooling',
    help: 'Keep the largest of the 4 orientations, or their mean.',
    default: 'max',
    values: ['max', 'mean'] as const,
    options: { max: 'Max', mean: 'Mean' },
  }),
});

export const p4OrientationPoolNode = defineNodeType({
  type: 'P4OrientationPool',
  title: 'P4 Orientation Pool',
  family: 'Layers',
  description:
    'Max or mean over the 4 orientations of a p4 map, N×C×4×H×W → N×C×H×W: the maps still turn with the input, but no longer cycle. Follow with a global pooling for a rotation-invariant output.',
  inputs: [INPUT],
  outputs: [OUT],
  params: poolParams,
  differentiable: true,
  infer: ({ inputs }) => {
    const x = inputs.input;
    if (!x) return fail('the input port is not connected', 'input');
    if (x.shape.length !== 5 || x.shape[2] !== 4)
      return fail(`P4 Orientation Pool needs N×C×4×H×W (a p4 map) on its input port, but receives ${fmt(x)}`, 'input');
    const [N, C, , H, W] = x.shape;
    return ok({ out: { shape: [N, C, H, W], kind: 'tensor' } });
  },
  formula: ({ params: p, outputs }) =>
    `Z_{c,i,j} = ${p.mode === 'max' ? '\\max' : '\\operatorname{mean}'}_{r=0..3} X_{c,r,i,j}${outputs?.out ? `,\\quad Z \\in ${R(outputs.out.shape)}` : ''}`,
  summary: (p) => `${p.mode} over 4 orientations`,
  emit: {
    scratch: (ctx) => {
      const x = port(ctx, 'input');
      const { z, dz } = output(ctx);
      const [, C, , H, W] = x.t.shape;
      const from = `${ctx.name}_from`;
      const dims = `N * ${C}, 4, ${H * W}, ${tsLit(ctx.params.mode)}`;
      return scratch(
        kernels('reduceForward', 'reduceBackward'),
        [`const [${z}, ${from}] = reduceForward(${x.v}, ${dims});`],
        x.d
          ? [
              `reduceBackward(${dz}, ${from}, ${dims}, ${x.d}); // ∂L/∂X[c,r] = ${ctx.params.mode === 'max' ? '∂L/∂Z[c] at the first largest orientation' : '∂L/∂Z[c] / 4'}`,
            ]
          : [],
      );
    },
    python: (ctx) => {
      const x = ctx.inputs.input ?? 'None';
      const out = ctx.outputs.out;
      const e = ctx.params.mode === 'max' ? `${x}.max(dim=2).values` : `${x}.mean(dim=2)`;
      return { init: [], forward: out ? [`${out} = ${e}`] : [] };
    },
    ts: (ctx) => tsLayer(ctx, 'P4OrientationPool', 'nn/p4', `new P4OrientationPool(${tsLit(ctx.params.mode)})`),
  },
});

export const p4NodeTypes = [p4LiftingConvNode, p4GroupConvNode, p4OrientationPoolNode] as const;
