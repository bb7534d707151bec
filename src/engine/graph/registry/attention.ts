import type { EmitContext } from '../emit';
import type { InferResult, TensorType } from '../nodeType';
import { defineNodeType } from '../nodeType';
import { autoIntParam, boolParam, defineParams, intParam } from '../params';
import { FLOAT_KINDS, fail, fmt, inPort, lastDim, ok, outPort, tsArg, tsImport, tsLit } from './common';
import { scratchAdditiveAttention, scratchDotProductAttention } from './attentionScratch';

export const ports = (valueRequired: boolean, keyRequired = true) => [
  inPort('query', 'query', FLOAT_KINDS, true, 'query'),
  inPort('key', 'key', FLOAT_KINDS, keyRequired, 'key'),
  inPort('value', 'value', FLOAT_KINDS, valueRequired, 'value'),
];
export const attnOutputs = [
  outPort('output', 'output', 'sequence'),
  {
    ...outPort('weights', 'weights', 'tensor', 'weights'),
    help: 'The attention weights N×T_q×T_k: row i says how much query i looks at each key.',
  },
];

/** TypeScript: the two outputs of an attention call `{ output, weights }`. */
export function tsAttentionOutputs(ctx: EmitContext<unknown>, call: string): string[] {
  const r = `_${ctx.name}`;
  const lines = [`const ${r} = ${call};`];
  if (ctx.outputs.output) lines.push(`const ${ctx.outputs.output} = ${r}.output;`);
  if (ctx.outputs.weights) lines.push(`const ${ctx.outputs.weights} = ${r}.weights!;`);
  return lines;
}

/** Checks N×T×d for query/key/value and that key and value have as many steps. */
export function qkv(
  q: TensorType | undefined,
  k: TensorType | undefined,
  v: TensorType | undefined,
  what: string,
): InferResult | undefined {
  if (!q) return fail('the query port is not connected', 'query');
  if (!k) return fail('the key port is not connected', 'key');
  if (!v) return fail('the value port is not connected', 'value');
  for (const [name, t] of [
    ['query', q],
    ['key', k],
    ['value', v],
  ] as const) {
    if (t.shape.length !== 3)
      return fail(`${what} needs N×T×features on its ${name} port, but receives ${fmt(t)}`, name);
  }
  if (k.shape[1] !== v.shape[1])
    return fail(`${what} needs as many key as value steps: key is ${fmt(k)}, value is ${fmt(v)}`, 'value');
  return undefined;
}

const sdpaParams = defineParams<{ causal: boolean }>({
  causal: boolParam({
    label: 'Causal mask',
    help: 'Query i may only look at keys 0…i (for decoders).',
    default: false,
  }),
});

export const scaledDotProductAttentionNode = defineNodeType({
  type: 'ScaledDotProductAttention',
  title: 'Dot-product attention',
  family: 'Layers',
  description:
    'Each query takes a softmax-weighted average of the values, weighted by its scaled dot product with each key.',
  inputs: ports(true),
  outputs: attnOutputs,
  params: sdpaParams,
  differentiable: true,
  infer: ({ params, inputs: { query: q, key: k, value: v } }) => {
    const bad = qkv(q, k, v, 'Dot-product attention');
    if (bad) return bad;
    if (q!.shape[2] !== k!.shape[2])
      return fail(
        `Dot-product attention needs queries and keys of the same size: query is ${fmt(q!)}, key is ${fmt(k!)}`,
        'key',
      );
    if (params.causal && q!.shape[1] > k!.shape[1])
      return fail(
        `a causal mask needs at least as many keys as queries: query is ${fmt(q!)}, key is ${fmt(k!)}`,
        'key',
      );
    return ok({
      output: { shape: [q!.shape[0], q!.shape[1], v!.shape[2]], kind: 'sequence' },
      weights: { shape: [q!.shape[0], q!.shape[1], k!.shape[1]], kind: 'tensor' },
    });
  },
  formula: ({ inputs }) => {
    const d = lastDim(inputs.query) ?? 'd';
    return `\\alpha = \\mathrm{softmax}\\!\\left(\\frac{QK^\\top}{\\sqrt{${d}}}\\right),\\quad z = \\alpha V`;
  },
  summary: (p) => (p.causal ? 'causal' : 'softmax(QKᵀ/√d)V'),
  emit: {
    scratch: (ctx) => scratchDotProductAttention(ctx),
    python: (ctx) => {
      const { query, key, value } = ctx.inputs;
      const n = ctx.name;
      const lines = [`_${n}_s = ${query} @ ${key}.transpose(1, 2) / math.sqrt(${query}.shape[-1])`];
      if (ctx.params.causal)
        lines.push(
          `_${n}_s = _${n}_s.masked_fill(torch.ones(_${n}_s.shape[-2:], dtype=torch.bool).triu(1), float('-inf'))`,
        );
      const w = ctx.outputs.weights ?? `_${n}_w`;
      lines.push(`${w} = torch.softmax(_${n}_s, dim=-1)`);
      if (ctx.outputs.output) lines.push(`${ctx.outputs.output} = ${w} @ ${value}`);
      return { init: [], forward: lines, imports: ['import math'] };
    },
    ts: (ctx) => {
      const q = tsArg(ctx, 'query');
      const mask = ctx.params.causal
        ? `causalMask(${ctx.inputTypes.query!.shape[1]}, ${ctx.inputTypes.key!.shape[1]}, ${q}.dtype)`
        : 'null';
      return {
        init: [],
        forward: tsAttentionOutputs(
          ctx,
          `scaledDotProductAttention(${q}, ${tsArg(ctx, 'key')}, ${tsArg(ctx, 'value')}, ${mask})`,
        ),
        engineImports: [
          tsImport('nn/attention', 'scaledDotProductAttention'),
          tsImport('runtime/layerHelpers', 'causalMask'),
        ],
      };
    },
  },
});

const additiveParams = defineParams<{ hidden_size: number; query_size: number | null; key_size: number | null }>({
  hidden_size: intParam({
    label: 'Attention size',
    help: 'Size of the hidden layer that scores each query–key pair.',
    default: 16,
    min: 1,
    max: 1 << 16,
  }),
  query_size: autoIntParam({
    label: 'Query size',
    help: 'Features of each query; leave empty to take it from the input.',
    default: null,
    min: 1,
    max: 1 << 16,
  }),
  key_size: autoIntParam({
    label: 'Key size',
    help: 'Features of each key; leave empty to take it from the input.',
    default: null,
    min: 1,
    max: 1 << 16,
  }),
});

export const additiveAttentionNode = defineNodeType({
  type: 'AdditiveAttention',
  title: 'Additive attention',
  family: 'Layers',
  description:
    'Bahdanau attention: a small network v·tanh(W_q q + W_k k) scores each query–key pair; the softmax of the scores weights the values.',
  inputs: ports(false),
  outputs: attnOutputs,
  params: additiveParams,
  differentiable: true,
  infer: ({ params: p, inputs: { query: q, key: k, value } }) => {
    const v = value ?? k;
    const bad = qkv(q, k, v, 'Additive attention');
    if (bad) return bad;
    if (p.query_size !== null && q!.shape[2] !== p.query_size)
      return fail(
        `Additive attention expects queries of size ${p.query_size} (query_size), but its query port receives ${fmt(q!)}`,
        'query',
      );
    if (p.key_size !== null && k!.shape[2] !== p.key_size)
      return fail(
        `Additive attention expects keys of size ${p.key_size} (key_size), but its key port receives ${fmt(k!)}`,
        'key',
      );
    return ok({
      output: { shape: [q!.shape[0], q!.shape[1], v!.shape[2]], kind: 'sequence' },
      weights: { shape: [q!.shape[0], q!.shape[1], k!.shape[1]], kind: 'tensor' },
    });
  },
  // W_q (H × d_q), W_k (H × d_k), w_v (1 × H), no biases.
  parameters: (p, inputs) =>
    p.hidden_size * ((p.query_size ?? lastDim(inputs.query) ?? 0) + (p.key_size ?? lastDim(inputs.key) ?? 0) + 1),
  formula: ({ params: p, inputs }) => {
    const dq = p.query_size ?? lastDim(inputs.query) ?? 'd_q';
    const dk = p.key_size ?? lastDim(inputs.key) ?? 'd_k';
    return `e_{ij} = v^\\top \\tanh(W_q q_i + W_k k_j),\\; \\alpha_{ij} = \\mathrm{softmax}_j(e_{ij}),\\; z_i = \\sum_j \\alpha_{ij} v_j,\\quad W_q \\in \\mathbb{R}^{${p.hidden_size}\\times ${dq}},\\; W_k \\in \\mathbb{R}^{${p.hidden_size}\\times ${dk}}`;
  },
  summary: (p) => `attention size ${p.hidden_size}`,
  emit: {
    scratch: (ctx) => scratchAdditiveAttention(ctx),
    python: (ctx) => {
      const p = ctx.params;
      const n = ctx.name;
      const { query, key } = ctx.inputs;
      const value = ctx.inputs.value ?? key;
      const dq = p.query_size ?? lastDim(ctx.inputTypes.query);
      const dk = p.key_size ?? lastDim(ctx.inputTypes.key);
      const out = ctx.outputs.output ?? `_${n}_out`;
      const w = ctx.outputs.weights ?? `_${n}_w`;
      return {
        init: [`self.${n} = AdditiveAttention(${dq}, ${dk}, ${p.hidden_size})`],
        forward: [`${out}, ${w} = self.${n}(${query}, ${key}, ${value})`],
        helpers: [ADDITIVE_ATTENTION_PY],
      };
    },
    ts: (ctx) => {
      const p = ctx.params;
      const n = ctx.name;
      const dq = p.query_size ?? lastDim(ctx.inputTypes.query);
      const dk = p.key_size ?? lastDim(ctx.inputTypes.key);
      const k = tsArg(ctx, 'key');
      return {
        fields: [{ name: n, type: 'AdditiveAttention' }],
        init: [
          `this.${n} = this.registerModule(${tsLit(n)}, new AdditiveAttention(${dq}, ${dk}, ${p.hidden_size}, rng, { dtype }));`,
        ],
        forward: tsAttentionOutputs(ctx, `this.${n}.forward(${tsArg(ctx, 'query')}, ${k}, ${ctx.inputs.value ?? k})`),
        engineImports: [tsImport('nn/attention', 'AdditiveAttention')],
      };
    },
  },
});

/** The engine's AdditiveAttention in PyTorch, with the same parameter names (W_q, W_k, w_v). */
const ADDITIVE_ATTENTION_PY = `class AdditiveAttention(nn.Module):
    def __init__(self, query_size, key_size, num_hiddens):
        super().__init__()
        self.W_q = nn.Linear(query_size, num_hiddens, bias=False)
        self.W_k = nn.Linear(key_size, num_hiddens, bias=False)
        self.w_v = nn.Linear(num_hiddens, 1, bias=False)

    def forward(self, queries, keys, values):
        scores = self.w_v(torch.tanh(self.W_q(queries).unsqueeze(2) + self.W_k(keys).unsqueeze(1))).squeeze(-1)
        weights = torch.softmax(scores, dim=-1)
        return weights @ values, weights`;

export const attentionNodeTypes = [scaledDotProductAttentionNode, additiveAttentionNode] as const;
