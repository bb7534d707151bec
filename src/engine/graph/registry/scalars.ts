import type { EmitResult } from '../emit';
import { defineNodeType } from '../nodeType';
import { defineParams, floatParam } from '../params';
import { outPort, ok, tsImport, tsLit } from './common';
import { grad, kernels, output, param, scratch } from './scratch';

/*
 * Scalars for hand-sized computational graphs (the lecture's f(x, y, z) = (x + y)·z): a
 * Constant (a fixed number, no gradient) and a Parameter (a learnable number: it is one of the
 * model's parameters, gets a gradient and is updated by the optimizer). Both output a scalar,
 * which broadcasts against any tensor in Add, Multiply, Subtract and Divide.
 */

/** A Python float literal: `5` → `5.0` (torch.tensor(5) would be an integer tensor). */
export const pyFloat = (v: number): string => (Number.isInteger(v) && Math.abs(v) < 1e21 ? `${v}.0` : String(v));

const valueParams = (label: string, help: string) =>
  defineParams<{ value: number }>({
    value: floatParam({ label, help, default: 1, min: -1e6, max: 1e6, step: 0.1 }),
  });

const helper = [
  'class ScalarParameter(nn.Module):',
  '    """One learnable number (the Parameter node); its state-dict name is <node>.value."""',
  '',
  '    def __init__(self, value):',
  '        super().__init__()',
  '        self.value = nn.Parameter(torch.tensor(value))',
].join('\n');

export const constantNode = defineNodeType({
  type: 'Constant',
  title: 'Constant',
  family: 'Data',
  description: 'A fixed number (a scalar) for hand-sized graphs; no gradient is computed for it.',
  inputs: [],
  outputs: [outPort('out', 'c', 'tensor')],
  params: valueParams('Value', 'The number this node outputs.'),
  differentiable: false,
  infer: () => ok({ out: { shape: [], kind: 'tensor' } }),
  formula: ({ params }) => `c = ${params.value}`,
  summary: (p) => `${p.value}`,
  emit: {
    // A non-persistent buffer: it follows the model's dtype and stays out of the state dict.
    python: (ctx): EmitResult => {
      const out = ctx.outputs.out;
      return {
        init: [
          `self.register_buffer(${tsLit(ctx.name)}, torch.tensor(${pyFloat(ctx.params.value)}), persistent=False)`,
        ],
        forward: out ? [`${out} = self.${ctx.name}`] : [],
      };
    },
    // Made once in the constructor, in the model's dtype, and kept out of every tidy scope.
    ts: (ctx): EmitResult => {
      const out = ctx.outputs.out;
      return {
        fields: [{ name: ctx.name, type: 'Tensor' }],
        init: [`this.${ctx.name} = keep(scalar(${ctx.params.value}, { dtype }));`],
        forward: out ? [`const ${out} = this.${ctx.name};`] : [],
        engineImports: [tsImport('tensor/create', 'scalar'), tsImport('tensor/scope', 'keep')],
      };
    },
    scratch: (ctx) =>
      scratch([], [`const ${output(ctx).z} = Float64Array.of(${ctx.params.value}); // a constant: no gradient`]),
  },
});

export const parameterNode = defineNodeType({
  type: 'Parameter',
  title: 'Parameter',
  family: 'Data',
  description: 'A learnable number (a scalar): it gets a gradient and the optimizer updates it.',
  inputs: [],
  outputs: [outPort('out', 'w', 'tensor')],
  params: valueParams('Initial value', 'The value before training (the optimizer changes it).'),
  differentiable: true,
  infer: () => ok({ out: { shape: [], kind: 'tensor' } }),
  parameters: () => 1,
  formula: ({ params }) => `w \\in \\mathbb{R},\\quad w_0 = ${params.value}`,
  summary: (p) => `learnable, starts at ${p.value}`,
  emit: {
    python: (ctx): EmitResult => {
      const out = ctx.outputs.out;
      return {
        init: [`self.${ctx.name} = ScalarParameter(${pyFloat(ctx.params.value)})`],
        forward: out ? [`${out} = self.${ctx.name}.value`] : [],
        helpers: [helper],
      };
    },
    ts: (ctx): EmitResult => {
      const out = ctx.outputs.out;
      return {
        fields: [{ name: ctx.name, type: 'ScalarParameter' }],
        init: [
          `this.${ctx.name} = this.registerModule(${tsLit(ctx.name)}, new ScalarParameter(${ctx.params.value}, { dtype }));`,
        ],
        forward: out ? [`const ${out} = this.${ctx.name}.forward();`] : [],
        engineImports: [tsImport('nn/scalar', 'ScalarParameter')],
      };
    },
    scratch: (ctx) => {
      const { z, dz } = output(ctx);
      return scratch(
        kernels('addInto'),
        [`const ${z} = ${param(ctx, 'value')};`],
        [`addInto(${grad(ctx, 'value')}, ${dz}); // ∂L/∂w: everything that flowed into w`],
        [{ name: 'value', shape: [] }],
      );
    },
  },
});

export const scalarNodeTypes = [constantNode, parameterNode] as const;
