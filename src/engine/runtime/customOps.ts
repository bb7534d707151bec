// The engine ops a custom node's code calls by name (graph/customApi.ts lists them): each checks
// its arguments in plain words and calls the engine's own op, so autograd records it as usual.
import { CUSTOM_OP_NAMES } from '../graph/customApi';
import { logSoftmax, relu, sigmoid, softmax, softplus, tanh } from '../ops/activation';
import { add, div, mul, neg, sub } from '../ops/arithmetic';
import { matmul } from '../ops/matmul';
import { mean, sum } from '../ops/reduce';
import { reshape, transpose } from '../ops/shape';
import { abs, exp, log, pow, sqrt } from '../ops/unary';
import { Tensor } from '../tensor/tensor';

type Impl = (args: readonly unknown[]) => Tensor;

function tensorArg(op: string, args: readonly unknown[], i: number): Tensor {
  const v = args[i];
  if (v instanceof Tensor) return v;
  throw new Error(`${op}: argument ${i + 1} must be a tensor, got ${describe(v)}`);
}

function operand(op: string, args: readonly unknown[], i: number): Tensor | number {
  const v = args[i];
  if (v instanceof Tensor || (typeof v === 'number' && Number.isFinite(v))) return v;
  throw new Error(`${op}: argument ${i + 1} must be a tensor or a finite number, got ${describe(v)}`);
}

function optInt(op: string, args: readonly unknown[], i: number, fallback: number): number {
  const v = args[i] ?? fallback;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new Error(`${op}: argument ${i + 1} must be a whole number, got ${describe(v)}`);
}

function optDims(op: string, args: readonly unknown[], i: number): number | number[] | undefined {
  const v = args[i];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (Array.isArray(v) && v.every((d) => typeof d === 'number' && Number.isInteger(d))) return v as number[];
  throw new Error(`${op}: argument ${i + 1} must be a dimension or a list of them, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (v === undefined || v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'number' ? String(v) : `a ${typeof v}`;
}

const unary =
  (op: string, f: (x: Tensor) => Tensor): Impl =>
  (a) =>
    f(tensorArg(op, a, 0));
const binary =
  (op: string, f: (x: Tensor | number, y: Tensor | number) => Tensor): Impl =>
  (a) => {
    const x = operand(op, a, 0);
    const y = operand(op, a, 1);
    if (typeof x === 'number' && typeof y === 'number')
      throw new Error(`${op}: at least one argument must be a tensor`);
    return f(x, y);
  };
const reduce =
  (op: string, f: (x: Tensor, axes?: number | readonly number[], keep?: boolean) => Tensor): Impl =>
  (a) => {
    const keep = a[2] ?? false;
    if (typeof keep !== 'boolean') throw new Error(`${op}: argument 3 (keepdim) must be true or false`);
    return f(tensorArg(op, a, 0), optDims(op, a, 1), keep);
  };

/** Each op of the custom node's API, by name. */
export const CUSTOM_OP_IMPLS: Readonly<Record<string, Impl>> = {
  add: binary('add', add),
  sub: binary('sub', sub),
  mul: binary('mul', mul),
  div: binary('div', div),
  neg: unary('neg', neg),
  matmul: (a) => matmul(tensorArg('matmul', a, 0), tensorArg('matmul', a, 1)),
  exp: unary('exp', exp),
  log: unary('log', log),
  sqrt: unary('sqrt', sqrt),
  pow: (a) => {
    const p = a[1];
    if (typeof p !== 'number' || !Number.isFinite(p)) throw new Error('pow: the exponent must be a finite number');
    return pow(tensorArg('pow', a, 0), p);
  },
  abs: unary('abs', abs),
  tanh: unary('tanh', tanh),
  sigmoid: unary('sigmoid', sigmoid),
  relu: unary('relu', relu),
  softplus: unary('softplus', softplus),
  softmax: (a) => softmax(tensorArg('softmax', a, 0), optInt('softmax', a, 1, -1)),
  logSoftmax: (a) => logSoftmax(tensorArg('logSoftmax', a, 0), optInt('logSoftmax', a, 1, -1)),
  sum: reduce('sum', sum),
  mean: reduce('mean', mean),
  transpose: (a) =>
    transpose(tensorArg('transpose', a, 0), optInt('transpose', a, 1, -2), optInt('transpose', a, 2, -1)),
  reshape: (a) => {
    const s = a[1];
    if (!Array.isArray(s) || !s.every((d) => typeof d === 'number' && Number.isInteger(d)))
      throw new Error('reshape: the shape must be a list of whole numbers');
    return reshape(tensorArg('reshape', a, 0), s as number[]);
  },
};

// The table and the API's list must name the same ops (checked once, when this module loads).
for (const name of CUSTOM_OP_NAMES)
  if (!CUSTOM_OP_IMPLS[name]) throw new Error(`The custom op "${name}" has no implementation.`);
