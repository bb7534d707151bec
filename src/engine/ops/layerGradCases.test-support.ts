import type { Tensor } from '../tensor/tensor';
import { runKernel1 } from '../autograd/runKernel';
import type { GradCase, GradCaseList } from './gradcheckCases.test-support';
import { rnd } from './gradcheckCases.test-support';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv';
import type { Conv2dOptions } from './conv';
import { avgPool2d, maxPool2d } from './pool';
import { unstack } from './unstack';
import { mul } from './arithmetic';
import { stack } from './shape';
import { tanh } from './activation';

/**
 * Gradient-check cases of the layer kernels (issue 4), keyed by kernel name like the core's
 * CORE_GRAD_CASES; listed in ALL_GRAD_CASE_LISTS so the coverage test sees them, and run by
 * gradcheck.test.ts (which runs every list in gradCaseLists.ts). Every kernel gets ≥ 5 cases
 * over stride / padding / dilation combinations. Max pooling inputs are random, so ties (where PyTorch's first-maximum rule
 * makes the function non-differentiable) have probability zero.
 */
const CONV_GEOMETRIES: { x: number[]; w: number[]; o: Conv2dOptions }[] = [
  { x: [2, 2, 5, 5], w: [3, 2, 3, 3], o: {} },
  { x: [1, 2, 6, 5], w: [2, 2, 3, 3], o: { stride: 2, padding: 1 } },
  { x: [2, 1, 7, 6], w: [2, 1, 3, 2], o: { stride: [2, 1], padding: [1, 0], dilation: [2, 1] } },
  { x: [1, 3, 4, 4], w: [2, 3, 1, 1], o: {} },
  { x: [1, 1, 6, 6], w: [3, 1, 2, 2], o: { stride: 1, padding: 2, dilation: 2 } },
  { x: [2, 2, 5, 4], w: [1, 2, 2, 3], o: { stride: [1, 2], padding: [0, 1] } },
];

function outShape(x: number[], w: number[], o: Conv2dOptions): number[] {
  const p = (v: Conv2dOptions['stride'], d: number): [number, number] =>
    v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  const [sh, sw] = p(o.stride, 1);
  const [ph, pw] = p(o.padding, 0);
  const [dh, dw] = p(o.dilation, 1);
  const size = (n: number, k: number, s: number, pd: number, dl: number): number =>
    Math.floor((n + 2 * pd - dl * (k - 1) - 1) / s) + 1;
  return [x[0], w[0], size(x[2], w[2], sh, ph, dh), size(x[3], w[3], sw, pw, dw)];
}

const label = (g: (typeof CONV_GEOMETRIES)[number]): string => `x[${g.x}] w[${g.w}] ${JSON.stringify(g.o)}`;

const POOLS: {
  x: number[];
  k: number | [number, number];
  stride?: number | [number, number];
  padding?: number | [number, number];
}[] = [
  { x: [2, 2, 4, 4], k: 2 },
  { x: [1, 2, 5, 5], k: 3, stride: 2, padding: 1 },
  { x: [2, 1, 5, 6], k: [3, 2], stride: [1, 2], padding: [1, 1] },
  { x: [1, 1, 5, 5], k: 2, stride: 1 },
  { x: [1, 2, 7, 7], k: 4, stride: 3, padding: 2 },
];

function poolAttrs(p: (typeof POOLS)[number], extra: Record<string, unknown>): Record<string, unknown> {
  const pr = (v: number | [number, number] | undefined, d: number | [number, number]): [number, number] => {
    const u = v ?? d;
    return typeof u === 'number' ? [u, u] : u;
  };
  return { kernelSize: pr(p.k, 1), stride: pr(p.stride, p.k), padding: pr(p.padding, 0), ...extra };
}

function poolOut(p: (typeof POOLS)[number]): number[] {
  const a = poolAttrs(p, {}) as { kernelSize: number[]; stride: number[]; padding: number[] };
  const size = (n: number, i: number): number => Math.floor((n + 2 * a.padding[i] - a.kernelSize[i]) / a.stride[i]) + 1;
  return [p.x[0], p.x[1], size(p.x[2], 0), size(p.x[3], 1)];
}

const conv2dCases: GradCase[] = CONV_GEOMETRIES.flatMap((g, i) => [
  {
    name: `conv2d with bias ${label(g)}`,
    inputs: () => [rnd(g.x), rnd(g.w), rnd([g.w[0]])],
    f: (x: Tensor, w: Tensor, b: Tensor) => conv2d(x, w, b, g.o),
  },
  ...(i % 2 === 0
    ? [
        {
          name: `conv2d without bias ${label(g)}`,
          inputs: () => [rnd(g.x), rnd(g.w)],
          f: (x: Tensor, w: Tensor) => conv2d(x, w, null, g.o),
        },
      ]
    : []),
]);

const backpropInputCases: GradCase[] = CONV_GEOMETRIES.map((g) => ({
  name: `conv2dBackpropInput ${label(g)}`,
  inputs: () => [rnd(outShape(g.x, g.w, g.o)), rnd(g.w)],
  f: (dy: Tensor, w: Tensor) => conv2dBackpropInput(dy, w, g.x, g.o),
}));

const backpropFilterCases: GradCase[] = CONV_GEOMETRIES.map((g) => ({
  name: `conv2dBackpropFilter ${label(g)}`,
  inputs: () => [rnd(g.x), rnd(outShape(g.x, g.w, g.o))],
  f: (x: Tensor, dy: Tensor) => conv2dBackpropFilter(x, dy, g.w, g.o),
}));

const maxPoolCases: GradCase[] = POOLS.map((p) => ({
  name: `maxPool2d x[${p.x}] k=${JSON.stringify(p.k)} s=${JSON.stringify(p.stride)} p=${JSON.stringify(p.padding)}`,
  inputs: () => [rnd(p.x)],
  // tanh after the pool so the second derivative is not trivially zero everywhere.
  f: (x: Tensor) => tanh(maxPool2d(x, p.k, { stride: p.stride, padding: p.padding })),
}));

const avgPoolCases: GradCase[] = POOLS.flatMap((p, i) =>
  [true, false]
    .filter((incl) => incl || i % 2 === 1)
    .map((countIncludePad) => ({
      name: `avgPool2d x[${p.x}] k=${JSON.stringify(p.k)} s=${JSON.stringify(p.stride)} p=${JSON.stringify(p.padding)} countIncludePad=${countIncludePad}`,
      inputs: () => [rnd(p.x)],
      f: (x: Tensor) => avgPool2d(x, p.k, { stride: p.stride, padding: p.padding, countIncludePad }),
    })),
);

const maxPoolBackwardCases: GradCase[] = POOLS.map((p) => ({
  name: `MaxPool2dBackward x[${p.x}] k=${JSON.stringify(p.k)}`,
  inputs: () => [rnd(poolOut(p)), rnd(p.x)],
  f: (dy: Tensor, x: Tensor) => runKernel1('MaxPool2dBackward', [dy, x], poolAttrs(p, { dilation: [1, 1] })),
}));

const maxPoolSelectCases: GradCase[] = POOLS.map((p) => ({
  name: `MaxPool2dSelect x[${p.x}] k=${JSON.stringify(p.k)}`,
  inputs: () => [rnd(p.x), rnd(p.x)],
  f: (g: Tensor, x: Tensor) => runKernel1('MaxPool2dSelect', [g, x], poolAttrs(p, { dilation: [1, 1] })),
}));

const avgPoolBackwardCases: GradCase[] = POOLS.map((p, i) => ({
  name: `AvgPool2dBackward x[${p.x}] k=${JSON.stringify(p.k)}`,
  inputs: () => [rnd(poolOut(p))],
  f: (dy: Tensor) => runKernel1('AvgPool2dBackward', [dy], poolAttrs(p, { xShape: p.x, countIncludePad: i % 2 === 0 })),
}));

const unstackCases: GradCase[] = [
  { shape: [4, 2, 3], axis: 0, pick: [0, 3] },
  { shape: [2, 5, 3], axis: 1, pick: [1, 2, 4] },
  { shape: [2, 3, 4], axis: 2, pick: [3] },
  { shape: [3, 2], axis: -1, pick: [0, 1] },
  { shape: [20, 2, 2], axis: 0, pick: [0, 7, 19] },
].map((c) => ({
  name: `unstack [${c.shape}] axis ${c.axis}, slices ${c.pick} used`,
  inputs: () => [rnd(c.shape)],
  // Only some slices reach the output: the others must get (and pass on) zero gradient.
  f: (x: Tensor) => {
    const parts = unstack(x, c.axis);
    return stack(
      c.pick.map((k, j) => mul(parts[k], j + 1)),
      0,
    );
  },
}));

export const LAYER_GRAD_CASES: GradCaseList = {
  Conv2d: conv2dCases,
  Conv2dBackpropInput: backpropInputCases,
  Conv2dBackpropFilter: backpropFilterCases,
  MaxPool2d: maxPoolCases,
  MaxPool2dBackward: maxPoolBackwardCases,
  MaxPool2dSelect: maxPoolSelectCases,
  AvgPool2d: avgPoolCases,
  AvgPool2dBackward: avgPoolBackwardCases,
  Unstack: unstackCases,
};
