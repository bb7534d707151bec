import type { EmitContext, EmitResult } from '../emit';
import type { InputPortDef, OutputPortDef } from '../nodeType';
import { defineNodeType } from '../nodeType';
import { autoIntParam, boolParam, defineParams, enumParam, intParam } from '../params';
import { fail, fmt, inPort, lastDim, ok, outPort, pyBool, tsArg, tsImport, tsLit } from './common';
import { grad, kernels, output, param, port, scratch } from './scratch';

type Cell = 'RNN' | 'LSTM' | 'GRU';

export interface RecurrentParams {
  input_size: number | null;
  hidden_size: number;
  num_layers: number;
  bias: boolean;
  bidirectional: boolean;
}

const common = {
  input_size: autoIntParam({
    label: 'Input size',
    help: 'Features per time step; leave empty to take it from the input.',
    default: null,
    min: 1,
    max: 1 << 16,
  }),
  hidden_size: intParam({
    label: 'Hidden size',
    help: 'Size of the hidden state h.',
    default: 16,
    min: 1,
    max: 1 << 16,
  }),
  num_layers: intParam({ label: 'Layers', help: 'Number of stacked recurrent layers.', default: 1, min: 1, max: 8 }),
  bias: boolParam({ label: 'Bias', help: 'Learn the biases b_ih and b_hh.', default: true }),
  bidirectional: boolParam({
    label: 'Bidirectional',
    help: 'Also run a second layer from the last step to the first and concatenate both states.',
    default: false,
  }),
};

const rnnParams = defineParams<RecurrentParams & { nonlinearity: 'tanh' | 'relu' }>({
  ...common,
  nonlinearity: enumParam({
    label: 'Nonlinearity',
    help: 'The activation of the Elman cell.',
    default: 'tanh',
    values: ['tanh', 'relu'] as const,
    options: { tanh: 'tanh', relu: 'ReLU' },
  }),
});
const gatedParams = defineParams<RecurrentParams>(common);

const FORMULAS: Record<Cell, string> = {
  RNN: 'h_t = \\phi(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})',
  GRU: '\\begin{aligned} r_t &= \\sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr}) \\\\ z_t &= \\sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz}) \\\\ n_t &= \\tanh(W_{in} x_t + b_{in} + r_t \\odot (W_{hn} h_{t-1} + b_{hn})) \\\\ h_t &= (1 - z_t) \\odot n_t + z_t \\odot h_{t-1} \\end{aligned}',
  LSTM: '\\begin{aligned} i_t, f_t, o_t &= \\sigma(W_{i\\cdot} x_t + W_{h\\cdot} h_{t-1} + b) \\\\ g_t &= \\tanh(W_{ig} x_t + W_{hg} h_{t-1} + b_g) \\\\ c_t &= f_t \\odot c_{t-1} + i_t \\odot g_t \\\\ h_t &= o_t \\odot \\tanh(c_t) \\end{aligned}',
};
const GATES: Record<Cell, number> = { RNN: 1, GRU: 3, LSTM: 4 };

type Ctx = EmitContext<RecurrentParams & { nonlinearity?: string }>;

function pythonRecurrent(cell: Cell, ctx: Ctx): EmitResult {
  const p = ctx.params;
  const f = p.input_size ?? lastDim(ctx.inputTypes.input);
  const dirs = p.bidirectional ? 2 : 1;
  const extra = cell === 'RNN' ? `, nonlinearity='${p.nonlinearity}'` : '';
  const x = ctx.inputs.input ?? 'None';
  const n = ctx.name;
  const init = [
    `self.${n} = nn.${cell}(${f}, ${p.hidden_size}, num_layers=${p.num_layers}${extra}, bias=${pyBool(p.bias)}, batch_first=True, bidirectional=${pyBool(p.bidirectional)})`,
  ];
  const expand = (v: string | undefined): string =>
    v ? `${v}.unsqueeze(0).expand(${p.num_layers * dirs}, -1, -1).contiguous()` : 'None';
  // torch's LSTM needs both initial states or neither: a missing one starts at zero.
  const { h0, c0 } = ctx.inputs;
  const h = h0 ?? (c0 ? `torch.zeros_like(${c0})` : undefined);
  const c = c0 ?? (h0 ? `torch.zeros_like(${h0})` : undefined);
  const state = cell === 'LSTM' ? (h ? `(${expand(h)}, ${expand(c)})` : 'None') : expand(h0);
  const last = (v: string): string => (dirs === 2 ? `torch.cat([${v}[-2], ${v}[-1]], dim=1)` : `${v}[-1]`);
  const out = ctx.outputs.output ?? `_${n}_out`;
  const fwd =
    cell === 'LSTM'
      ? [`${out}, (_${n}_h, _${n}_c) = self.${n}(${x}, ${state})`]
      : [`${out}, _${n}_h = self.${n}(${x}, ${state})`];
  if (ctx.outputs.hidden) fwd.push(`${ctx.outputs.hidden} = ${last(`_${n}_h`)}`);
  if (cell === 'LSTM' && ctx.outputs.cell) fwd.push(`${ctx.outputs.cell} = ${last(`_${n}_c`)}`);
  return { init, forward: fwd };
}

function tsRecurrent(cell: Cell, ctx: Ctx): EmitResult {
  const n = ctx.name;
  const p = ctx.params;
  const inF = p.input_size ?? lastDim(ctx.inputTypes.input);
  const opts = [
    `numLayers: ${p.num_layers}`,
    `bias: ${p.bias}`,
    'batchFirst: true',
    `bidirectional: ${p.bidirectional}`,
  ];
  opts.push('dtype');
  if (cell === 'RNN') opts.push(`nonlinearity: ${tsLit(p.nonlinearity)}`);
  const x = tsArg(ctx, 'input');
  const fwd: string[] = [];
  const imports = [tsImport('nn/rnn', cell), tsImport('runtime/layerHelpers', 'initialState', 'lastLayerState')];
  if (cell === 'LSTM') {
    // Both initial states or neither: a missing one starts at zero, as in the runtime.
    const { h0, c0 } = ctx.inputs;
    const h = h0 ?? (c0 ? `zeros(${c0}.shape, { dtype: ${c0}.dtype })` : 'null');
    const c = c0 ?? (h0 ? `zeros(${h0}.shape, { dtype: ${h0}.dtype })` : 'null');
    if (!h0 !== !c0) imports.push(tsImport('tensor/create', 'zeros'));
    fwd.push(`const _${n} = this.${n}.forward(${x}, initialState(this.${n}, ${h}), initialState(this.${n}, ${c}));`);
  } else {
    fwd.push(`const _${n} = this.${n}.forward(${x}, initialState(this.${n}, ${tsArg(ctx, 'h0')}));`);
  }
  if (ctx.outputs.output) fwd.push(`const ${ctx.outputs.output} = _${n}.output;`);
  if (ctx.outputs.hidden) fwd.push(`const ${ctx.outputs.hidden} = lastLayerState(this.${n}, _${n}.hN);`);
  if (cell === 'LSTM' && ctx.outputs.cell) fwd.push(`const ${ctx.outputs.cell} = lastLayerState(this.${n}, _${n}.cN);`);
  return {
    fields: [{ name: n, type: cell }],
    init: [
      `this.${n} = this.registerModule(${tsLit(n)}, new ${cell}(${inF}, ${p.hidden_size}, rng, { ${opts.join(', ')} }));`,
    ],
    forward: fwd,
    engineImports: imports,
  };
}

/** From scratch: the recurrent kernel over every layer and direction, and backpropagation through time. */
function scratchRecurrent(cell: Cell, ctx: Ctx): EmitResult {
  const p = ctx.params;
  const x = port(ctx, 'input');
  const [, T, F] = x.t.shape;
  const H = p.hidden_size;
  const dirs = p.bidirectional ? 2 : 1;
  const G = GATES[cell];
  const kind = cell === 'RNN' ? (p.nonlinearity ?? 'tanh') : cell.toLowerCase();
  const tape = `${ctx.name}_r`;
  const tensors: { name: string; shape: number[] }[] = [];
  const weights = (of: (t: string) => string) => {
    const rows: string[] = [];
    for (let l = 0; l < p.num_layers; l++)
      for (let d = 0; d < dirs; d++) {
        const sfx = `l${l}${d === 1 ? '_reverse' : ''}`;
        const b = (t: string) => (p.bias ? of(`${t}_${sfx}`) : 'null');
        rows.push(
          `{ Wih: ${of(`weight_ih_${sfx}`)}, Whh: ${of(`weight_hh_${sfx}`)}, bih: ${b('bias_ih')}, bhh: ${b('bias_hh')} }`,
        );
      }
    return `[${rows.join(', ')}]`;
  };
  for (let l = 0; l < p.num_layers; l++)
    for (let d = 0; d < dirs; d++) {
      const sfx = `l${l}${d === 1 ? '_reverse' : ''}`;
      tensors.push({ name: `weight_ih_${sfx}`, shape: [G * H, l === 0 ? F : dirs * H] });
      tensors.push({ name: `weight_hh_${sfx}`, shape: [G * H, H] });
      if (p.bias) tensors.push({ name: `bias_ih_${sfx}`, shape: [G * H] }, { name: `bias_hh_${sfx}`, shape: [G * H] });
    }
  const h0 = ctx.inputs.h0 ?? 'null';
  const c0 = ctx.inputs.c0 ?? 'null';
  const outs = ['output', 'hidden', ...(cell === 'LSTM' ? ['cell'] : [])];
  const dOf = (o: string) => output(ctx, o).dz;
  const dState = (s: string) => ctx.gradInputs?.[s] ?? 'null';
  return scratch(
    kernels('recurrent'),
    [
      `const ${tape} = recurrentForward(${JSON.stringify(kind)}, ${x.v}, N, ${T}, ${F}, ${H}, ${p.num_layers}, ${dirs}, ${weights((t) => param(ctx, t))}, ${h0}, ${cell === 'LSTM' ? c0 : 'null'});`,
      ...outs.map((o) => `const ${output(ctx, o).z} = ${tape}.${o};`),
    ],
    [
      `recurrentBackward(${tape}.tape, ${dOf('output')}, ${dOf('hidden')}, ${cell === 'LSTM' ? dOf('cell') : 'null'}, ${weights((t) => grad(ctx, t))}, ${x.d ?? 'null'}, ${dState('h0')}, ${cell === 'LSTM' ? dState('c0') : 'null'}); // through time: ∂L/∂h_{t−1} = W_hhᵀ · ∂L/∂a_t, ∂L/∂W_ih = Σ_t ∂L/∂a_t · x_tᵀ, ∂L/∂W_hh = Σ_t ∂L/∂a_t · h_{t−1}ᵀ`,
    ],
    tensors,
  );
}

function recurrentNode<const T extends Cell>(cell: T) {
  const stateHelp =
    'Optional initial state, N×hidden_size, used for every layer and direction (zeros when not connected).';
  // A rank-3 tensor (e.g. reshaped N×T×F) is read as a sequence too; inference checks the rank.
  const inputs: InputPortDef[] = [
    inPort('input', 'x', ['sequence', 'tensor']),
    { ...inPort('h0', 'h₀', ['tensor'], false, 'hidden'), help: stateHelp },
  ];
  const outputs: OutputPortDef[] = [
    outPort('output', 'outputs', 'sequence'),
    {
      ...outPort('hidden', 'h_T', 'tensor', 'hidden'),
      help: 'The last layer’s final hidden state (forward and backward concatenated when bidirectional).',
    },
  ];
  if (cell === 'LSTM') {
    inputs.push({ ...inPort('c0', 'c₀', ['tensor'], false, 'cell'), help: stateHelp });
    outputs.push({ ...outPort('cell', 'c_T', 'tensor', 'cell'), help: 'The last layer’s final cell state.' });
  }
  return defineNodeType<RecurrentParams & { nonlinearity?: 'tanh' | 'relu' }, T>({
    type: cell,
    title: cell,
    family: 'Layers',
    description:
      cell === 'RNN'
        ? 'An Elman recurrent layer over a batch-first sequence.'
        : cell === 'LSTM'
          ? 'A long short-term memory layer over a batch-first sequence.'
          : 'A gated recurrent unit layer over a batch-first sequence.',
    inputs,
    outputs,
    params: (cell === 'RNN' ? rnnParams : gatedParams) as typeof rnnParams,
    differentiable: true,
    infer: ({ params: p, inputs: ins }) => {
      const x = ins.input;
      if (!x) return fail('the input port is not connected', 'input');
      if (x.shape.length !== 3)
        return fail(`${cell} needs a sequence N×T×features on its input port, but receives ${fmt(x)}`, 'input');
      const f = x.shape[2];
      if (p.input_size !== null && f !== p.input_size)
        return fail(
          `${cell} expects ${p.input_size} features per step (input_size), but its input port receives ${fmt(x)}`,
          'input',
        );
      for (const s of cell === 'LSTM' ? ['h0', 'c0'] : ['h0']) {
        const t = ins[s];
        if (t && (t.shape.length !== 2 || t.shape[1] !== p.hidden_size))
          return fail(`${cell}'s ${s} port needs N×${p.hidden_size} (hidden_size), but receives ${fmt(t)}`, s);
      }
      const d = (p.bidirectional ? 2 : 1) * p.hidden_size;
      const outs: Record<string, { shape: number[]; kind: 'sequence' | 'tensor' }> = {
        output: { shape: [x.shape[0], x.shape[1], d], kind: 'sequence' },
        hidden: { shape: [x.shape[0], d], kind: 'tensor' },
      };
      if (cell === 'LSTM') outs.cell = { shape: [x.shape[0], d], kind: 'tensor' };
      return ok(outs);
    },
    // Per layer and direction: W_ih (G·H × in), W_hh (G·H × H) and, with bias, b_ih and b_hh (G·H each);
    // layers after the first take the previous layer's D·H outputs.
    parameters: (p, ins) => {
      const dirs = p.bidirectional ? 2 : 1;
      const gh = GATES[cell] * p.hidden_size;
      let total = 0;
      for (let layer = 0; layer < p.num_layers; layer++) {
        const inSize = layer === 0 ? (p.input_size ?? lastDim(ins.input) ?? 0) : dirs * p.hidden_size;
        total += dirs * (gh * inSize + gh * p.hidden_size + (p.bias ? 2 * gh : 0));
      }
      return total;
    },
    formula: ({ params: p, inputs: ins }) => {
      const f = p.input_size ?? lastDim(ins.input) ?? 'F';
      const g = GATES[cell];
      const h = p.hidden_size;
      const phi = cell === 'RNN' ? `,\\; \\phi = \\${p.nonlinearity === 'relu' ? 'mathrm{ReLU}' : 'tanh'}` : '';
      const rows = g === 1 ? '' : `${g}\\cdot `;
      const wih = `W_{ih} \\in \\mathbb{R}^{${rows}${h}\\times ${f}}`;
      const whh = `W_{hh} \\in \\mathbb{R}^{${rows}${h}\\times ${h}}`;
      if (cell === 'RNN') return `${FORMULAS[cell]},\\quad ${wih},\\; ${whh}${phi}`;
      // The gated cells' lines are aligned on their = signs; the weights' shapes are two more
      // lines (aligned on ∈), so that the formula is as narrow as its longest line.
      const aligned = (w: string): string => w.replace('\\in', '&\\in');
      return FORMULAS[cell].replace('\\end{aligned}', `\\\\ ${aligned(wih)} \\\\ ${aligned(whh)} \\end{aligned}`);
    },
    summary: (p, ins) =>
      `${p.input_size ?? lastDim(ins.input) ?? '?'} → ${p.hidden_size}${p.num_layers > 1 ? `, ${p.num_layers} layers` : ''}${p.bidirectional ? ', bidirectional' : ''}${cell === 'RNN' && p.nonlinearity === 'relu' ? ', ReLU' : ''}`,
    emit: {
      python: (ctx) => pythonRecurrent(cell, ctx),
      ts: (ctx) => tsRecurrent(cell, ctx),
      scratch: (ctx) => scratchRecurrent(cell, ctx),
    },
  });
}

export const rnnNode = recurrentNode('RNN');
export const lstmNode = recurrentNode('LSTM');
export const gruNode = recurrentNode('GRU');

export const recurrentNodeTypes = [rnnNode, lstmNode, gruNode] as const;
