import { describe, expect, it } from 'vitest';
import type { TapeExport, TapeTensor } from '../../../shared/api/tape';
import type { TensorSummary } from '../../../shared/api/tensor';
import { opCaption, tapeGraph } from './tapeGraph';

const value: TensorSummary = {
  shape: [1],
  dtype: 'float32',
  min: 0,
  max: 0,
  mean: 0,
  std: 0,
  l2: 0,
  nanCount: 0,
  infCount: 0,
  preview: { shape: [1], values: [0] },
  histogram: { min: 0, max: 0, counts: [1] },
};

function t(id: number, kind: TapeTensor['kind'], label: string, producer: number | null = null): TapeTensor {
  return { id, kind, label, producer, nodeOutput: null, value, gradient: null, gradientFinal: false };
}

/** A Linear's records as the engine exports them: MatMul(x, W, transposeB), then Add(·, b); and a Mul(y, y). */
const tape: TapeExport = {
  nodeId: null,
  ops: [
    {
      id: 12,
      kernel: 'MatMul',
      nodeId: 'fc1',
      inputs: [1, 2],
      outputs: [4],
      attrs: { transposeB: true, transposeA: false },
      backward: 'pending',
    },
    { id: 13, kernel: 'Add', nodeId: 'fc1', inputs: [4, 3], outputs: [5], attrs: {}, backward: 'pending' },
    { id: 14, kernel: 'Mul', nodeId: 'sq', inputs: [5, 5], outputs: [6], attrs: {}, backward: 'pending' },
  ],
  tensors: [
    t(1, 'batch', 'x'),
    t(2, 'parameter', 'fc1.weight'),
    t(3, 'parameter', 'fc1.bias'),
    t(4, 'op', 'MatMul #12', 12),
    t(5, 'op', 'fc1.out', 13),
    t(6, 'op', 'sq.out', 14),
  ],
  omitted: 0,
  nextBackward: null,
  note: null,
};

describe('the op-level graph of a tape', () => {
  it('has a box per op and per tensor read from outside, and a wire per op input', () => {
    const g = tapeGraph(tape);
    expect(g.boxes.map((b) => b.id)).toEqual(['t-1', 't-2', 'op-12', 't-3', 'op-13', 'op-14']);
    expect(g.wires.map((w) => [w.source, w.target, w.position])).toEqual([
      ['t-1', 'op-12', 0],
      ['t-2', 'op-12', 1],
      ['op-12', 'op-13', 0],
      ['t-3', 'op-13', 1],
      // One tensor read twice: two wires from its op.
      ['op-13', 'op-14', 0],
      ['op-13', 'op-14', 1],
    ]);
  });

  it('starts a wire at a leaf when the op that wrote the tensor is not shown (another node’s)', () => {
    const g = tapeGraph({
      ...tape,
      ops: tape.ops.slice(1, 2),
      tensors: tape.tensors.map((x) => (x.id === 4 ? { ...x, kind: 'outside' } : x)),
    });
    expect(g.boxes.map((b) => b.id)).toEqual(['t-4', 't-3', 'op-13']);
    expect(g.wires.map((w) => w.source)).toEqual(['t-4', 't-3']);
  });

  it('names an op by its kernel and the attributes that are set', () => {
    expect(opCaption(tape.ops[0])).toBe('MatMul(transposeB)');
    expect(opCaption({ ...tape.ops[0], kernel: 'Sum', attrs: { axes: [0, 1], keepDims: false } })).toBe(
      'Sum(axes=[0,1])',
    );
    expect(opCaption(tape.ops[1])).toBe('Add');
  });
});
