import { describe, expect, it } from 'vitest';
import { backward } from '../autograd/backward';
import { gradCheck } from '../ops/gradcheck';
import { maxAlong, select, sliceIndices, sliceStep } from '../ops/select';
import { sum } from '../ops/reduce';
import { tensor } from '../tensor/create';
import { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';
import { slicePositions } from '../graph/registry/tensorOps';
import type { Graph } from '../graph/schema';
import { e, n } from '../graph/testGraphs.test-support';
import { compileGraph } from './compile';

/**
 * The tensor-plumbing and scalar nodes, each compiled as a one-node graph and gradient-checked
 * in float64 against central differences, with respect to its inputs and its parameters.
 */
const rng = new Rng(7);
const rand = (shape: number[], away = 0): Tensor =>
  tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
      const v = rng.uniform(-1, 1);
      return away > 0 ? Math.sign(v) * (Math.abs(v) + away) : v;
    }),
    shape,
    { dtype: 'float64', requiresGrad: true },
  );

interface NodeCase {
  name: string;
  graph: Graph;
  batch: () => Record<string, Tensor>;
  /** The output shape for a batch of 3. */
  shape: number[];
}

const X = n('x', 'Input', { shape: [4, 5], kind: 'sequence' });
const unaryCase = (name: string, type: string, params: Record<string, unknown>, shape: number[]): NodeCase => ({
  name,
  graph: { nodes: [X, n('op', type, params)], edges: [e('x', 'op')] },
  batch: () => ({ x: rand([3, 4, 5]) }),
  shape,
});
const binaryCase = (type: string, b: ReturnType<typeof n>, shape: number[], bBatch?: number[]): NodeCase => ({
  name: `${type} with ${b.type} ${JSON.stringify(b.params)}`,
  graph: { nodes: [X, b, n('op', type)], edges: [e('x', 'op', 'a'), e(b.id, 'op', 'b')] },
  batch: () => ({ x: rand([3, 4, 5]), ...(bBatch ? { b: rand(bBatch, type === 'Divide' ? 0.5 : 0) } : {}) }),
  shape,
});

const CASES: NodeCase[] = [
  unaryCase('Select last time step', 'Select', { dim: 1, index: -1 }, [3, 5]),
  unaryCase('Select first feature', 'Select', { dim: -1, index: 0 }, [3, 4]),
  unaryCase('Slice -4:-1:2 over time', 'Slice', { dim: 1, start: -4, end: -1, step: 2 }, [3, 2, 5]),
  unaryCase('Slice 1: over features', 'Slice', { dim: 2, start: 1, end: null, step: 1 }, [3, 4, 4]),
  unaryCase('Reduce mean over time', 'Reduce', { op: 'mean', dim: 1 }, [3, 5]),
  unaryCase('Reduce sum, keepdim', 'Reduce', { op: 'sum', dim: -1, keepdim: true }, [3, 4, 1]),
  unaryCase('Reduce max over time', 'Reduce', { op: 'max', dim: 1 }, [3, 5]),
  unaryCase('Reduce max, keepdim', 'Reduce', { op: 'max', dim: 2, keepdim: true }, [3, 4, 1]),
  unaryCase('Transpose 1↔2', 'Transpose', { dim0: 1, dim1: 2 }, [3, 5, 4]),
  unaryCase('Permute 0, 2, 1', 'Permute', { dims: [0, 2, 1] }, [3, 5, 4]),
  unaryCase('Softmax over time', 'Softmax', { dim: 1 }, [3, 4, 5]),
  unaryCase('LogSoftmax over time', 'LogSoftmax', { dim: 1 }, [3, 4, 5]),
  binaryCase('Multiply', n('b', 'Input', { shape: [4, 1] }), [3, 4, 5], [3, 4, 1]),
  binaryCase('Multiply', n('b', 'Parameter', { value: -1.5 }), [3, 4, 5]),
  binaryCase('Subtract', n('b', 'Input', { shape: [1, 5] }), [3, 4, 5], [3, 1, 5]),
  binaryCase('Subtract', n('b', 'Constant', { value: 2 }), [3, 4, 5]),
  binaryCase('Divide', n('b', 'Input', { shape: [4, 5] }), [3, 4, 5], [3, 4, 5]),
  binaryCase('Divide', n('b', 'Parameter', { value: 0.8 }), [3, 4, 5]),
];

describe('tensor plumbing and scalar nodes: float64 gradients against central differences', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = compileGraph(c.graph, { dtype: 'float64' });
      if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
      const batch = c.batch();
      const names = Object.keys(batch);
      const params = r.model.parameters();
      const f = (...xs: Tensor[]): Tensor => {
        const b = Object.fromEntries(names.map((k, i) => [k, xs[i]]));
        return r.model.forward(b).values.get('op')!.out;
      };
      expect(f(...names.map((k) => batch[k])).shape).toEqual(c.shape);
      const check = gradCheck(f, [...names.map((k) => batch[k]), ...params]);
      expect(check.failures).toEqual([]);
      expect(check.ok).toBe(true);
    });
  }

  it('a Constant gets no gradient, a Parameter does', () => {
    const g: Graph = {
      nodes: [n('w', 'Parameter', { value: 3 }), n('c', 'Constant', { value: 2 }), n('m', 'Multiply')],
      edges: [e('w', 'm', 'a'), e('c', 'm', 'b')],
    };
    const r = compileGraph(g, { dtype: 'float64' });
    if (!r.ok) throw new Error(r.issues[0].message);
    expect(r.model.namedParameters().map(([k]) => k)).toEqual(['w.value']);
    const out = r.model.forward({}).values.get('m')!.out;
    expect(out.item()).toBe(6);
    backward(out);
    expect(r.model.namedParameters()[0][1].grad!.item()).toBe(2);
    expect(r.model.forward({}).values.get('c')!.out.requiresGrad).toBe(false);
  });
});

describe('the ops behind the nodes', () => {
  it('max along an axis sends the gradient to the first maximal entry, as torch.max(x, dim) does', () => {
    const x = tensor(
      [
        [1, 3, 3, 0],
        [2, 2, 2, 2],
        [0, NaN, 5, NaN],
      ],
      undefined,
      { dtype: 'float64', requiresGrad: true },
    );
    const y = maxAlong(x, 1);
    expect(Array.from(y.data)).toEqual([3, 2, NaN]);
    backward(sum(y));
    expect(Array.from(x.grad!.data)).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('slices like Python, and the graph and the op agree on the positions', () => {
    for (const size of [0, 1, 5, 6]) {
      for (const start of [-7, -2, 0, 1, 4, 9])
        for (const end of [null, -7, -1, 0, 2, 6, 20])
          for (const step of [1, 2, 3]) {
            const py: number[] = [];
            const s = start < 0 ? Math.max(0, start + size) : Math.min(start, size);
            const en = end === null ? size : end < 0 ? Math.max(0, end + size) : Math.min(end, size);
            for (let i = s; i < en; i += step) py.push(i);
            expect(sliceIndices(size, start, end, step)).toEqual(py);
            expect(slicePositions(size, start, end, step)).toEqual(py);
          }
    }
    const x = tensor([1, 2, 3, 4, 5, 6]);
    expect(Array.from(sliceStep(x, 0, -4, -1, 2).data)).toEqual([3, 5]);
    expect(Array.from(sliceStep(x, 0, 1, 100, 3).data)).toEqual([2, 5]);
    expect(
      Array.from(
        select(
          tensor([
            [1, 2, 3],
            [4, 5, 6],
          ]),
          1,
          -1,
        ).data,
      ),
    ).toEqual([3, 6]);
    expect(() => select(x, 0, 6)).toThrow(/out of range/);
  });
});
