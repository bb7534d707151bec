import { tensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import type { PortKind } from '../graph/nodeType';
import { formatShape } from '../graph/shape';
import type { CompiledNode, GraphModel } from './compile';

/** A tensor in JSON: nested arrays (rectangular), or `{ shape, data }` with row-major data. */
export type JsonTensor = unknown;

/** Reads a JSON tensor into shape and flat values, or a sentence saying what is wrong. */
export function readJsonTensor(v: unknown, what: string): { shape: number[]; data: number[] } | string {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (!Array.isArray(o.shape) || !Array.isArray(o.data))
      return `${what} must be nested lists of numbers or {"shape": [...], "data": [...]}`;
    if (!o.shape.every((d) => Number.isInteger(d) && (d as number) >= 0))
      return `${what}: "shape" must list whole numbers`;
    const shape = o.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    if (o.data.length !== n)
      return `${what}: "data" has ${o.data.length} values but the shape ${formatShape(shape)} needs ${n}`;
    if (!o.data.every((x) => typeof x === 'number')) return `${what}: "data" must contain only numbers`;
    return { shape, data: o.data as number[] };
  }
  if (typeof v === 'number') return { shape: [], data: [v] };
  if (!Array.isArray(v)) return `${what} must be nested lists of numbers or {"shape": [...], "data": [...]}`;
  const shape: number[] = [];
  let level: unknown = v;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const data: number[] = [];
  const walk = (x: unknown, d: number): string | undefined => {
    if (d === shape.length) {
      if (typeof x !== 'number') return `${what} contains ${x === null ? 'null' : typeof x} where a number belongs`;
      data.push(x);
      return undefined;
    }
    if (!Array.isArray(x) || x.length !== shape[d])
      return `${what} is not rectangular: the lists at depth ${d + 1} should all have ${shape[d]} entries`;
    for (const y of x) {
      const err = walk(y, d + 1);
      if (err) return err;
    }
    return undefined;
  };
  return walk(v, 0) ?? { shape, data };
}

const LABEL_CHECKS: Partial<Record<PortKind, [string, (x: number) => boolean]>> = {
  'class-labels': ['a class index (0, 1, 2, …)', (x) => Number.isInteger(x) && x >= 0],
  'pm1-labels': ['a ±1 label (−1 or 1)', (x) => x === 1 || x === -1],
  'binary-labels': ['a 0/1 label', (x) => x === 0 || x === 1],
  indices: ['a token index (0, 1, 2, …)', (x) => Number.isInteger(x) && x >= 0],
};

/** Checks values against a data node's declared shape (batch first) and kind; builds the tensor. */
export function dataTensor(
  model: GraphModel,
  node: CompiledNode,
  v: { shape: number[]; data: number[] },
): Tensor | string {
  const declared = node.outputTypes.out;
  const name = `${node.def.title} "${node.id}"`;
  const want = declared.shape.slice(1);
  const got = v.shape.slice(1);
  if (v.shape.length !== declared.shape.length || want.some((d, i) => d !== got[i]))
    return `${name} expects values of shape ${formatShape(declared.shape)}, but got ${formatShape(v.shape)}`;
  if (v.shape[0] === 0) return `${name}: the batch is empty`;
  const check = LABEL_CHECKS[declared.kind];
  for (let i = 0; i < v.data.length; i++) {
    const x = v.data[i];
    if (!Number.isFinite(x)) return `${name}: value ${i} is not a finite number`;
    if (check && !check[1](x)) return `${name}: value ${i} is ${x}, which is not ${check[0]}`;
  }
  return tensor(v.data, v.shape, { dtype: model.dtype });
}

/**
 * Builds a batch (tensors by data-node id) from JSON. `inputs` and `targets` are either keyed by
 * node id or, when the graph has a single Input (or Target), that node's tensor itself.
 */
export function batchFromJson(model: GraphModel, inputs: unknown, targets: unknown): Record<string, Tensor> | string {
  const batch: Record<string, Tensor> = {};
  for (const [nodes, value, label] of [
    [model.inputNodes, inputs, 'input'],
    [model.targetNodes, targets, 'target'],
  ] as const) {
    if (nodes.length === 0) continue;
    if (value === undefined)
      return `the graph has ${label} node(s) ${nodes.map((n) => `"${n.id}"`).join(', ')} but no ${label} values were given`;
    const keyed =
      value !== null && typeof value === 'object' && !Array.isArray(value) && !('shape' in value && 'data' in value);
    for (const node of nodes) {
      let raw: unknown = value;
      if (keyed) {
        raw = (value as Record<string, unknown>)[node.id];
        if (raw === undefined)
          return `the ${label} values have no entry for node "${node.id}" (keys: ${Object.keys(value as object).join(', ') || 'none'})`;
      } else if (nodes.length > 1) {
        return `the graph has several ${label} nodes, so the ${label} values must be an object keyed by node id (${nodes.map((n) => `"${n.id}"`).join(', ')})`;
      }
      const t = readJsonTensor(raw, `the ${label} values for "${node.id}"`);
      if (typeof t === 'string') return t;
      const built = dataTensor(model, node, t);
      if (typeof built === 'string') return built;
      batch[node.id] = built;
    }
  }
  const sizes = new Set(Object.values(batch).map((t) => t.shape[0]));
  if (sizes.size > 1)
    return `the input and target values have different batch sizes (${[...sizes].join(' and ')} rows)`;
  return batch;
}
