import { describe, expect, it } from 'vitest';
import { EMIT_LANGS } from '../emit';
import type { InputTypes, TensorType } from '../nodeType';
import { parseParams } from '../params';
import { createNodeTypeRegistry, nodeTypes } from './registerAll';

// Every node type DESIGN.md lists, by our type id.
const DESIGN_TYPES = [
  'Input',
  'Target',
  'Linear',
  'Conv2d',
  'MaxPool2d',
  'AvgPool2d',
  'Flatten',
  'Reshape',
  'Dropout',
  'Embedding',
  'RNN',
  'LSTM',
  'GRU',
  'ScaledDotProductAttention',
  'AdditiveAttention',
  'MultiheadAttention',
  'Add',
  'Concat',
  'BatchNorm',
  'Sigmoid',
  'Tanh',
  'ReLU',
  'LeakyReLU',
  'Softmax',
  'LogSoftmax',
  'MSELoss',
  'L1Loss',
  'BCEWithLogitsLoss',
  'LogisticLoss',
  'HingeLoss',
  'HingeLoss01',
  'PerceptronLoss',
  'MulticlassHingeLoss',
  'CrossEntropyLoss',
  'NLLLoss',
  'Sign',
  'Threshold',
  'SigmoidProbability',
  'SoftmaxProbability',
  'Argmax',
];

/** A plausible input for each port kind so every definition can be exercised. */
function sampleInputs(type: string): InputTypes {
  const t = (shape: number[], kind: TensorType['kind'] = 'tensor'): TensorType => ({ shape, kind });
  switch (type) {
    case 'Conv2d':
    case 'MaxPool2d':
    case 'AvgPool2d':
    case 'P4LiftingConv2d':
      return { input: t([-1, 1, 8, 8]) };
    case 'P4GroupConv2d':
    case 'P4OrientationPool':
      return { input: t([-1, 2, 4, 8, 8]) };
    case 'Embedding':
      return { input: t([-1, 5], 'indices') };
    case 'RNN':
    case 'LSTM':
    case 'GRU':
    case 'Transpose':
    case 'Permute':
      return { input: t([-1, 5, 3], 'sequence') };
    case 'ScaledDotProductAttention':
    case 'AdditiveAttention':
    case 'MultiheadAttention': {
      const s = t([-1, 5, 4], 'sequence');
      return { query: s, key: s, value: s };
    }
    case 'Add':
    case 'Multiply':
    case 'Subtract':
    case 'Divide':
    case 'Concat':
      return { a: t([-1, 4]), b: t([-1, 4]) };
    case 'CrossEntropyLoss':
    case 'NLLLoss':
    case 'MulticlassHingeLoss':
      return { input: t([-1, 3]), target: t([-1], 'class-labels') };
    case 'LogisticLoss':
    case 'HingeLoss':
    case 'PerceptronLoss':
      return { input: t([-1, 1]), target: t([-1, 1], 'pm1-labels') };
    case 'BCEWithLogitsLoss':
    case 'HingeLoss01':
      return { input: t([-1, 1]), target: t([-1, 1], 'binary-labels') };
    case 'MSELoss':
    case 'L1Loss':
      return { input: t([-1, 1]), target: t([-1, 1], 'real-targets') };
    case 'Custom':
      return { x: t([-1, 4]) };
    case 'Input':
    case 'Target':
      return {};
    default:
      return { input: t([-1, 4]) };
  }
}

const SWISH_SIGNATURE = {
  inputs: { x: [-1, 4] },
  output: [-1, 4],
  params: {},
  trace: {
    inputs: { x: 0 },
    params: {},
    steps: [
      { op: 'sigmoid', args: [{ t: 0 }], out: 1 },
      { op: 'mul', args: [{ t: 0 }, { t: 1 }], out: 2 },
    ],
    output: 2,
  },
};

describe('node-type registry', () => {
  it('registers every node type of DESIGN.md, each once', () => {
    const ids = nodeTypes.list().map((d) => d.type);
    for (const t of DESIGN_TYPES) expect(ids, t).toContain(t);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses to register a type twice', () => {
    const r = createNodeTypeRegistry();
    expect(() => r.register(nodeTypes.get('Linear')!)).toThrow(/registered twice/);
  });

  it('groups every type into the five palette families', () => {
    const groups = nodeTypes.byFamily();
    expect(groups.map((g) => g.family)).toEqual(['Data', 'Layers', 'Activations', 'Losses', 'Prediction']);
    expect(groups.reduce((a, g) => a + g.types.length, 0)).toBe(nodeTypes.list().length);
    expect(groups.find((g) => g.family === 'Losses')!.types.length).toBe(10);
  });

  for (const def of nodeTypes.list()) {
    it(`${def.type}: defaults parse, shapes infer, formula and summary render, Python and TypeScript emit`, () => {
      const parsed = parseParams(def.params, {});
      expect(parsed.issues).toEqual([]);
      // A custom node's shapes come from running its code in a session: here, what swish gave.
      const params = def.type === 'Custom' ? { ...parsed.params!, signature: SWISH_SIGNATURE } : parsed.params!;
      for (const f of def.params.fields)
        expect(f.schema.safeParse(f.default).success, `${def.type}.${f.name} default`).toBe(true);
      // The object schema agrees: defaults filled in, unknown names refused.
      expect(def.params.schema.parse({})).toEqual(parsed.params);
      expect(def.params.schema.safeParse({ no_such_parameter: 1 }).success).toBe(false);
      const inputs = sampleInputs(def.type);
      const r = def.infer({ params, inputs });
      expect(r.ok, r.ok ? '' : r.message).toBe(true);
      if (!r.ok) return;
      for (const p of def.outputs) expect(r.outputs[p.name], `${def.type} output ${p.name}`).toBeDefined();
      const latex = def.formula({ params, inputs, outputs: r.outputs });
      expect(latex.length).toBeGreaterThan(3);
      expect(latex).not.toContain('undefined');
      expect(def.summary(params, inputs)).not.toContain('undefined');
      const names = Object.fromEntries(Object.keys(inputs).map((k) => [k, `v_${k}`]));
      const outs = Object.fromEntries(def.outputs.map((p) => [p.name, `o_${p.name}`]));
      for (const lang of EMIT_LANGS) {
        const code = def.emit[lang]({
          name: 'node',
          params,
          inputs: names,
          outputs: outs,
          lossVar: 'loss',
          inputTypes: inputs,
          outputTypes: r.outputs,
        });
        expect([...code.init, ...code.forward].join('\n'), lang).not.toContain('undefined');
      }
    });
  }

  it('writes the actual shapes into the formula (Linear A ∈ ℝ^{8×2})', () => {
    const lin = nodeTypes.get('Linear')!;
    const params = parseParams(lin.params, { out_features: 8 }).params!;
    expect(lin.formula({ params, inputs: { input: { shape: [-1, 2], kind: 'tensor' } } })).toContain(
      '\\mathbb{R}^{8\\times 2}',
    );
    expect(lin.summary(params, { input: { shape: [-1, 2], kind: 'tensor' } })).toBe('2 → 8');
  });

  it('names the port and both shapes when shapes do not fit', () => {
    const lin = nodeTypes.get('Linear')!;
    const r = lin.infer({
      params: parseParams(lin.params, { in_features: 3 }).params!,
      inputs: { input: { shape: [-1, 2], kind: 'tensor' } },
    });
    expect(r).toEqual({ ok: false, port: 'input', message: expect.stringContaining('N×2') });
    const add = nodeTypes.get('Add')!;
    const r2 = add.infer({
      params: {},
      inputs: { a: { shape: [-1, 8], kind: 'tensor' }, b: { shape: [-1, 4], kind: 'tensor' } },
    });
    expect(r2.ok ? '' : r2.message).toMatch(/N×8.*N×4/);
  });

  it('infers convolution, pooling and recurrent shapes as PyTorch does', () => {
    const conv = nodeTypes.get('Conv2d')!;
    const c = conv.infer({
      params: parseParams(conv.params, { out_channels: 8, kernel_size: 3, padding: 1, stride: 2 }).params!,
      inputs: { input: { shape: [-1, 1, 28, 28], kind: 'tensor' } },
    });
    expect(c.ok && c.outputs.out.shape).toEqual([-1, 8, 14, 14]);
    const pool = nodeTypes.get('MaxPool2d')!;
    const p = pool.infer({
      params: parseParams(pool.params, {}).params!,
      inputs: { input: { shape: [-1, 8, 7, 7], kind: 'tensor' } },
    });
    expect(p.ok && p.outputs.out.shape).toEqual([-1, 8, 3, 3]);
    const gru = nodeTypes.get('GRU')!;
    const g = gru.infer({
      params: parseParams(gru.params, { hidden_size: 5, bidirectional: true }).params!,
      inputs: { input: { shape: [-1, 7, 3], kind: 'sequence' } },
    });
    expect(g.ok && g.outputs).toEqual({
      output: { shape: [-1, 7, 10], kind: 'sequence' },
      hidden: { shape: [-1, 10], kind: 'tensor' },
    });
    const flat = nodeTypes.get('Flatten')!;
    const f = flat.infer({
      params: parseParams(flat.params, {}).params!,
      inputs: { input: { shape: [-1, 8, 3, 3], kind: 'tensor' } },
    });
    expect(f.ok && f.outputs.out.shape).toEqual([-1, 72]);
  });
});
