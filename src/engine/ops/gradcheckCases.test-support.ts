import type { Tensor } from '../tensor/tensor';
import { tensor } from '../tensor/create';
import { Rng } from '../tensor/rng';
import { runKernel1 } from '../autograd/runKernel';
import { add, div, mul, neg, sub } from './arithmetic';
import { abs, exp, log, pow, sign, sqrt } from './unary';
import { leakyRelu, logSoftmax, logSumExp, relu, sigmoid, softmax, softplus, tanh } from './activation';
import { max, mean, sum } from './reduce';
import { linear, matmul } from './matmul';
import { clone, concat, permute, reshape, slice, stack, transpose } from './shape';
import { gather, nllOfClasses, takeAlongAxis } from './gather';
import { equal, greater, greaterEqual, maximum, minimum, where } from './compare';

/**
 * Gradient-check cases, keyed by kernel name. Each case builds fresh float64 inputs (with
 * requiresGrad) and a function of them that exercises the kernel. The coverage test fails
 * when a registered kernel has no entry here (or in a layer case list), and gradcheck.test.ts
 * runs every case through gradCheck().
 *
 * Kink conventions (inputs are sampled away from them): relu'(0) = 0, leakyRelu'(0) = slope,
 * abs'(0) = 0, max/amax ties split the gradient equally, maximum/minimum ties go to the first
 * operand, sign/comparisons have zero gradient. All match PyTorch except maximum/minimum ties
 * (torch splits those in halves).
 */
export interface GradCase {
  name: string;
  inputs: () => Tensor[];
  f: (...xs: Tensor[]) => Tensor;
}

export type GradCaseList = Readonly<Record<string, readonly GradCase[]>>;

let seed = 100;

/** Uniform float64 values in [lo, hi) with requiresGrad; |x| ≥ gap keeps away from a kink at 0. */
export function rnd(shape: readonly number[], lo = -2, hi = 2, gap = 0): Tensor {
  const rng = new Rng(seed++);
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from({ length: n }, () => {
    let v = rng.uniform(lo, hi);
    if (gap > 0 && Math.abs(v) < gap) v = v < 0 ? v - gap : v + gap;
    return v;
  });
  return tensor(vals, shape, { dtype: 'float64', requiresGrad: true });
}

/** A case's inputs: their shapes, and the axis for an op along one. */
interface ShapeRow {
  readonly shapes: readonly (readonly number[])[];
  readonly axis?: number;
}

/** The op of each family of cases, and the inputs it is checked at: one case per row. */
interface FamilyOps {
  unary: (x: Tensor) => Tensor;
  binary: (a: Tensor, b: Tensor) => Tensor;
  axis: (x: Tensor, axis: number) => Tensor;
}
const FAMILIES: Record<
  keyof FamilyOps,
  { readonly rows: readonly ShapeRow[]; readonly lo: number; readonly hi: number }
> = {
  unary: { rows: [[5], [2, 3], [1, 4], [2, 1, 3], [3, 1], []].map((s) => ({ shapes: [s] })), lo: -2, hi: 2 },
  // Broadcasting both ways, a scalar against a vector, and equal shapes.
  binary: {
    rows: [
      [
        [3, 4],
        [3, 4],
      ],
      [[3, 4], [4]],
      [
        [2, 1, 4],
        [3, 1],
      ],
      [[1], [2, 3]],
      [
        [2, 3, 1],
        [1, 1, 5],
      ],
      [[], [4]],
    ].map((shapes) => ({ shapes })),
    lo: -2,
    hi: 2,
  },
  axis: {
    rows: (
      [
        [[4], 0],
        [[2, 5], 1],
        [[2, 5], 0],
        [[3, 1, 4], 2],
        [[2, 3, 4], 1],
        [[1, 3], -1],
      ] as const
    ).map(([s, axis]) => ({ shapes: [s], axis })),
    lo: -3,
    hi: 3,
  },
};

/**
 * The cases of `family` for the op `f`: one per row of its table, named by the shapes (and the
 * axis), each input uniform in [lo, hi) (the family's range unless given) and at least `gap` from 0.
 */
function cases<F extends keyof FamilyOps>(
  family: F,
  name: string,
  f: FamilyOps[F],
  lo = FAMILIES[family].lo,
  hi = FAMILIES[family].hi,
  gap = 0,
): GradCase[] {
  const op = f as (...args: (Tensor | number)[]) => Tensor;
  return FAMILIES[family].rows.map(({ shapes, axis }) => ({
    name: `${name} ${shapes.map((s) => `[${s.join(',')}]`).join('∘')}${axis === undefined ? '' : ` axis ${axis}`}`,
    inputs: () => shapes.map((s) => rnd(s, lo, hi, gap)),
    f: axis === undefined ? op : (...xs: Tensor[]) => op(...xs, axis),
  }));
}

export const CORE_GRAD_CASES: GradCaseList = {
  Add: [
    ...cases('binary', 'add', add),
    { name: 'sub composes add+neg', inputs: () => [rnd([2, 3]), rnd([3])], f: sub },
  ],
  Mul: cases('binary', 'mul', mul),
  Div: cases('binary', 'div', (a, b) => div(a, add(mul(b, b), 0.5))),
  Neg: cases('unary', 'neg', neg),
  Exp: cases('unary', 'exp', exp),
  Log: cases('unary', 'log', log, 0.2, 3),
  Sqrt: cases('unary', 'sqrt', sqrt, 0.2, 3),
  Pow: [
    ...cases('unary', 'pow 3', (x) => pow(x, 3)),
    ...cases('unary', 'pow 2', (x) => pow(x, 2)).slice(0, 2),
    { name: 'pow 0.5', inputs: () => [rnd([4], 0.3, 2)], f: (x) => pow(x, 0.5) },
    { name: 'pow -1.5', inputs: () => [rnd([2, 2], 0.3, 2)], f: (x) => pow(x, -1.5) },
  ],
  Abs: cases('unary', 'abs', abs, -2, 2, 0.05),
  Sign: cases('unary', 'sign', (x) => mul(sign(x), x), -2, 2, 0.05),
  Relu: cases('unary', 'relu', relu, -2, 2, 0.05),
  LeakyRelu: [
    ...cases('unary', 'leakyRelu', (x) => leakyRelu(x, 0.1), -2, 2, 0.05),
    { name: 'leakyRelu default', inputs: () => [rnd([6], -2, 2, 0.05)], f: (x) => leakyRelu(x) },
  ],
  Sigmoid: cases('unary', 'sigmoid', sigmoid, -6, 6),
  Tanh: cases('unary', 'tanh', tanh, -3, 3),
  Softplus: [
    ...cases('unary', 'softplus', softplus, -8, 8),
    {
      name: 'softplus at 0 (no kink)',
      inputs: () => [tensor([0, 1e-3], [2], { dtype: 'float64', requiresGrad: true })],
      f: softplus,
    },
  ],
  Softmax: cases('axis', 'softmax', softmax),
  LogSoftmax: cases('axis', 'logSoftmax', logSoftmax),
  Linear: [
    { name: 'linear', inputs: () => [rnd([4, 3]), rnd([2, 3]), rnd([2])], f: (x, w, b) => linear(x, w, b) },
    { name: 'linear, one row', inputs: () => [rnd([1, 5]), rnd([3, 5]), rnd([3])], f: (x, w, b) => linear(x, w, b) },
    {
      name: 'linear, one feature',
      inputs: () => [rnd([3, 1]), rnd([4, 1]), rnd([4])],
      f: (x, w, b) => linear(x, w, b),
    },
    { name: 'linear, bias of 8', inputs: () => [rnd([5, 2]), rnd([8, 2]), rnd([8])], f: (x, w, b) => linear(x, w, b) },
    {
      name: 'linear of a constant input (no dx)',
      inputs: () => [rnd([4, 3]), rnd([4])],
      f: (w, b) => linear(tensor([0.5, -1, 2, 1.5, -0.25, 3], [2, 3], { dtype: 'float64' }), w, b),
    },
    {
      name: 'linear into tanh',
      inputs: () => [rnd([3, 4]), rnd([3, 4]), rnd([3])],
      f: (x, w, b) => tanh(linear(x, w, b)),
    },
  ],
  NllLoss: [
    {
      name: 'nll of classes after logSoftmax, mean',
      inputs: () => [rnd([4, 3])],
      f: (x) => nllOfClasses(logSoftmax(x, 1), Int32Array.from([2, 0, 1, 2]), 'mean'),
    },
    {
      name: 'nll of classes, sum',
      inputs: () => [rnd([3, 5])],
      f: (x) => nllOfClasses(x, Int32Array.from([4, 4, 0]), 'sum'),
    },
    {
      name: 'nll of classes, mean',
      inputs: () => [rnd([5, 2])],
      f: (x) => nllOfClasses(x, Int32Array.from([1, 0, 1, 1, 0]), 'mean'),
    },
    {
      name: 'nll of classes, one row',
      inputs: () => [rnd([1, 4])],
      f: (x) => nllOfClasses(x, Int32Array.from([3]), 'mean'),
    },
    {
      name: 'nll of classes, one class',
      inputs: () => [rnd([3, 1])],
      f: (x) => nllOfClasses(x, Int32Array.from([0, 0, 0]), 'sum'),
    },
  ],
  LogSumExp: [
    ...cases('axis', 'logSumExp', (x, a) => logSumExp(x, a)),
    { name: 'logSumExp keepDims', inputs: () => [rnd([3, 4])], f: (x) => logSumExp(x, 1, true) },
  ],
  Sum: [
    ...cases('axis', 'sum', (x, a) => sum(x, a)),
    { name: 'sum all', inputs: () => [rnd([2, 3])], f: (x) => sum(x) },
    { name: 'sum axes 0,2 keepDims', inputs: () => [rnd([2, 3, 4])], f: (x) => sum(x, [0, 2], true) },
    { name: 'mean axis 1', inputs: () => [rnd([3, 4])], f: (x) => mean(x, 1) },
  ],
  Max: [
    ...cases('axis', 'max', (x, a) => max(x, a)),
    { name: 'max all', inputs: () => [rnd([3, 4])], f: (x) => max(x) },
    { name: 'max axes 0,2 keepDims', inputs: () => [rnd([2, 3, 2])], f: (x) => max(x, [0, 2], true) },
  ],
  MatMul: [
    { name: 'matmul 3x4·4x2', inputs: () => [rnd([3, 4]), rnd([4, 2])], f: (a, b) => matmul(a, b) },
    { name: 'matmul Aᵀ', inputs: () => [rnd([4, 3]), rnd([4, 2])], f: (a, b) => matmul(a, b, true, false) },
    { name: 'matmul Bᵀ', inputs: () => [rnd([3, 4]), rnd([2, 4])], f: (a, b) => matmul(a, b, false, true) },
    { name: 'matmul AᵀBᵀ', inputs: () => [rnd([4, 3]), rnd([2, 4])], f: (a, b) => matmul(a, b, true, true) },
    { name: 'matmul batched', inputs: () => [rnd([2, 3, 4]), rnd([2, 4, 5])], f: (a, b) => matmul(a, b) },
    { name: 'matmul batched · 2-D', inputs: () => [rnd([2, 3, 4]), rnd([4, 2])], f: (a, b) => matmul(a, b) },
    {
      name: 'matmul 2-D · batched Bᵀ',
      inputs: () => [rnd([3, 4]), rnd([2, 5, 4])],
      f: (a, b) => matmul(a, b, false, true),
    },
    { name: 'matmul 1x1 dims', inputs: () => [rnd([1, 1]), rnd([1, 3])], f: (a, b) => matmul(a, b) },
    { name: 'matmul large (packed path)', inputs: () => [rnd([9, 20]), rnd([20, 7])], f: (a, b) => matmul(a, b) },
  ],
  Reshape: [
    { name: 'reshape', inputs: () => [rnd([2, 3])], f: (x) => mul(reshape(x, [3, 2]), reshape(x, [3, 2])) },
    { name: 'reshape -1', inputs: () => [rnd([2, 3, 2])], f: (x) => reshape(x, [-1, 4]) },
    { name: 'reshape to scalar', inputs: () => [rnd([1])], f: (x) => reshape(x, []) },
    { name: 'reshape size-1 dims', inputs: () => [rnd([1, 4, 1])], f: (x) => reshape(x, [4]) },
    { name: 'reshape then add', inputs: () => [rnd([6]), rnd([2, 3])], f: (a, b) => add(reshape(a, [2, 3]), b) },
  ],
  Transpose: [
    { name: 'transpose 2-D', inputs: () => [rnd([3, 4])], f: (x) => transpose(x) },
    { name: 'permute 3-D', inputs: () => [rnd([2, 3, 4])], f: (x) => permute(x, [2, 0, 1]) },
    { name: 'permute size-1', inputs: () => [rnd([1, 3, 2])], f: (x) => permute(x, [1, 2, 0]) },
    { name: 'transpose 0,1 of 3-D', inputs: () => [rnd([2, 3, 2])], f: (x) => transpose(x, 0, 1) },
    { name: 'transpose used twice', inputs: () => [rnd([2, 2])], f: (x) => mul(transpose(x), x) },
  ],
  Slice: [
    { name: 'slice axis 0', inputs: () => [rnd([5, 2])], f: (x) => slice(x, 0, 1, 4) },
    { name: 'slice axis 1', inputs: () => [rnd([2, 5])], f: (x) => slice(x, 1, 2) },
    { name: 'slice negative', inputs: () => [rnd([2, 3, 4])], f: (x) => slice(x, -1, -3, -1) },
    { name: 'slice size-1 result', inputs: () => [rnd([4])], f: (x) => slice(x, 0, 2, 3) },
    { name: 'two slices overlap', inputs: () => [rnd([6])], f: (x) => mul(slice(x, 0, 0, 4), slice(x, 0, 2, 6)) },
  ],
  PadAxis: [
    {
      name: 'pad axis 0',
      inputs: () => [rnd([2, 3])],
      f: (x) => runKernel1('PadAxis', [x], { axis: 0, before: 1, after: 2 }),
    },
    {
      name: 'pad axis 1',
      inputs: () => [rnd([2, 3])],
      f: (x) => runKernel1('PadAxis', [x], { axis: 1, before: 0, after: 1 }),
    },
    {
      name: 'pad 1-D',
      inputs: () => [rnd([3])],
      f: (x) => runKernel1('PadAxis', [x], { axis: 0, before: 2, after: 0 }),
    },
    {
      name: 'pad 3-D',
      inputs: () => [rnd([2, 1, 2])],
      f: (x) => runKernel1('PadAxis', [x], { axis: 1, before: 1, after: 1 }),
    },
    {
      name: 'pad nothing',
      inputs: () => [rnd([2])],
      f: (x) => runKernel1('PadAxis', [x], { axis: 0, before: 0, after: 0 }),
    },
  ],
  Concat: [
    { name: 'concat axis 0', inputs: () => [rnd([2, 3]), rnd([1, 3])], f: (a, b) => concat([a, b], 0) },
    { name: 'concat axis 1', inputs: () => [rnd([2, 3]), rnd([2, 2])], f: (a, b) => concat([a, b], 1) },
    { name: 'concat three', inputs: () => [rnd([2]), rnd([3]), rnd([1])], f: (a, b, c) => concat([a, b, c], 0) },
    { name: 'concat same tensor', inputs: () => [rnd([2, 2])], f: (a) => concat([a, a], -1) },
    { name: 'stack', inputs: () => [rnd([2, 3]), rnd([2, 3])], f: (a, b) => stack([a, b], 1) },
  ],
  Gather: [
    { name: 'gather rows', inputs: () => [rnd([5, 3])], f: (x) => gather(x, [4, 0, 2], 0) },
    { name: 'gather repeated', inputs: () => [rnd([4, 2])], f: (x) => gather(x, [1, 1, 3, 1], 0) },
    { name: 'gather columns', inputs: () => [rnd([2, 5])], f: (x) => gather(x, [0, 4], 1) },
    { name: 'gather middle axis', inputs: () => [rnd([2, 3, 2])], f: (x) => gather(x, [2], 1) },
    { name: 'gather 1-D', inputs: () => [rnd([6])], f: (x) => gather(x, [5, 0, 5], 0) },
  ],
  ScatterAdd: [
    {
      name: 'scatterAdd rows',
      inputs: () => [rnd([3, 2])],
      f: (y) => runKernel1('ScatterAdd', [y], { axis: 0, indices: new Int32Array([2, 0, 2]), size: 4 }),
    },
    {
      name: 'scatterAdd cols',
      inputs: () => [rnd([2, 2])],
      f: (y) => runKernel1('ScatterAdd', [y], { axis: 1, indices: new Int32Array([1, 1]), size: 3 }),
    },
    {
      name: 'scatterAdd 1-D',
      inputs: () => [rnd([3])],
      f: (y) => runKernel1('ScatterAdd', [y], { axis: 0, indices: new Int32Array([0, 1, 0]), size: 2 }),
    },
    {
      name: 'scatterAdd 3-D',
      inputs: () => [rnd([2, 1, 2])],
      f: (y) => runKernel1('ScatterAdd', [y], { axis: 1, indices: new Int32Array([2]), size: 3 }),
    },
    {
      name: 'scatterAdd squared',
      inputs: () => [rnd([2])],
      f: (y) => pow(runKernel1('ScatterAdd', [y], { axis: 0, indices: new Int32Array([1, 1]), size: 2 }), 2),
    },
  ],
  TakeAlongAxis: [
    { name: 'pick per row', inputs: () => [rnd([4, 3])], f: (x) => takeAlongAxis(x, [[2], [0], [1], [2]], 1) },
    {
      name: 'two per row',
      inputs: () => [rnd([2, 3])],
      f: (x) =>
        takeAlongAxis(
          x,
          [
            [2, 2],
            [0, 1],
          ],
          1,
        ),
    },
    { name: 'along axis 0', inputs: () => [rnd([3, 2])], f: (x) => takeAlongAxis(x, [[2, 0]], 0) },
    {
      name: 'indices tensor 3-D',
      inputs: () => [rnd([2, 3, 2])],
      f: (x) => takeAlongAxis(x, tensor([0, 2, 1, 1], [2, 1, 2]), 1),
    },
    { name: 'size-1 axis', inputs: () => [rnd([3, 1])], f: (x) => takeAlongAxis(x, [[0], [0], [0]], 1) },
  ],
  ScatterAlongAxis: [
    {
      name: 'scatter per row',
      inputs: () => [rnd([3, 1])],
      f: (y) => runKernel1('ScatterAlongAxis', [y], { axis: 1, indices: new Int32Array([2, 0, 1]), size: 3 }),
    },
    {
      name: 'scatter repeated',
      inputs: () => [rnd([2, 2])],
      f: (y) => runKernel1('ScatterAlongAxis', [y], { axis: 1, indices: new Int32Array([1, 1, 0, 2]), size: 3 }),
    },
    {
      name: 'scatter axis 0',
      inputs: () => [rnd([1, 3])],
      f: (y) => runKernel1('ScatterAlongAxis', [y], { axis: 0, indices: new Int32Array([1, 0, 1]), size: 2 }),
    },
    {
      name: 'scatter 1-D',
      inputs: () => [rnd([2])],
      f: (y) => runKernel1('ScatterAlongAxis', [y], { axis: 0, indices: new Int32Array([3, 0]), size: 4 }),
    },
    {
      name: 'scatter squared',
      inputs: () => [rnd([2, 1])],
      f: (y) => pow(runKernel1('ScatterAlongAxis', [y], { axis: 1, indices: new Int32Array([1, 0]), size: 2 }), 2),
    },
  ],
  Where: [
    {
      name: 'where same shape',
      inputs: () => [rnd([2, 3]), rnd([2, 3])],
      f: (a, b) => where(tensor([1, 0, 1, 0, 0, 1], [2, 3], { dtype: 'float64' }), a, b),
    },
    {
      name: 'where broadcast b',
      inputs: () => [rnd([2, 3]), rnd([3])],
      f: (a, b) => where(tensor([1, 0, 0, 1, 1, 0], [2, 3], { dtype: 'float64' }), a, b),
    },
    {
      name: 'where broadcast mask',
      inputs: () => [rnd([2, 3]), rnd([2, 3])],
      f: (a, b) => where(tensor([0, 1, 1], [3], { dtype: 'float64' }), a, b),
    },
    {
      name: 'where scalar b',
      inputs: () => [rnd([4])],
      f: (a) => where(tensor([1, 0, 1, 1], [4], { dtype: 'float64' }), a, 0),
    },
    {
      name: 'where size-1',
      inputs: () => [rnd([1]), rnd([3, 1])],
      f: (a, b) => where(tensor([1, 0, 1], [3, 1], { dtype: 'float64' }), a, b),
    },
  ],
  Maximum: cases('binary', 'maximum', maximum),
  Minimum: cases('binary', 'minimum', minimum),
  Greater: cases('binary', 'greater (times a)', (a, b) => mul(greater(a, b), a)),
  GreaterEqual: cases('binary', 'greaterEqual (times a)', (a, b) => mul(greaterEqual(a, b), a)),
  Equal: cases('binary', 'equal (times a)', (a, b) => mul(equal(a, b), a)),
  Identity: cases('unary', 'clone', (x) => mul(clone(x), x)),
  // NOTE: a float32 round trip would make central differences meaningless (eps 1e-6 is below
  // float32 resolution), so the kernel is checked float64 → float64; float32 is unit-tested.
  Cast: cases('unary', 'cast', (x) => mul(runKernel1('Cast', [x], { dtype: 'float64' }), x)),
  BroadcastTo: [
    { name: 'broadcastTo rows', inputs: () => [rnd([3])], f: (x) => runKernel1('BroadcastTo', [x], { shape: [2, 3] }) },
    {
      name: 'broadcastTo cols',
      inputs: () => [rnd([2, 1])],
      f: (x) => runKernel1('BroadcastTo', [x], { shape: [2, 4] }),
    },
    { name: 'broadcastTo scalar', inputs: () => [rnd([])], f: (x) => runKernel1('BroadcastTo', [x], { shape: [3] }) },
    {
      name: 'broadcastTo middle',
      inputs: () => [rnd([2, 1, 3])],
      f: (x) => runKernel1('BroadcastTo', [x], { shape: [2, 2, 3] }),
    },
    {
      name: 'broadcastTo new leading',
      inputs: () => [rnd([1, 2])],
      f: (x) => runKernel1('BroadcastTo', [x], { shape: [3, 1, 2] }),
    },
  ],
};
