import { defineNodeType } from '../nodeType';
import { autoIntParam, boolParam, defineParams, intParam } from '../params';
import { attnOutputs, ports, qkv, tsAttentionOutputs } from './attention';
import { fail, fmt, lastDim, ok, pyBool, tsArg, tsImport, tsLit } from './common';
import { scratchMultiheadAttention } from './attentionScratch';

/** torch.nn.MultiheadAttention: the attention family's layer with its own projections and heads. */

const mhaParams = defineParams<{ embed_dim: number | null; num_heads: number; bias: boolean }>({
  embed_dim: autoIntParam({
    label: 'Embedding size',
    help: 'Features of queries, keys and values; leave empty to take it from the query.',
    default: null,
    min: 1,
    max: 1 << 16,
  }),
  num_heads: intParam({
    label: 'Heads',
    help: 'Number of parallel attention heads; must divide the embedding size.',
    default: 2,
    min: 1,
    max: 64,
  }),
  bias: boolParam({ label: 'Bias', help: 'Learn biases in the input and output projections.', default: true }),
});

export const multiheadAttentionNode = defineNodeType({
  type: 'MultiheadAttention',
  title: 'Multi-head attention',
  family: 'Layers',
  description: 'torch.nn.MultiheadAttention (batch first): self-attention when only the query is connected.',
  inputs: ports(false, false),
  outputs: [attnOutputs[0], { ...attnOutputs[1], help: 'The attention weights averaged over the heads, N×T_q×T_k.' }],
  params: mhaParams,
  differentiable: true,
  infer: ({ params: p, inputs: { query: q, key, value } }) => {
    const k = key ?? q;
    const v = value ?? k;
    const bad = qkv(q, k, v, 'Multi-head attention');
    if (bad) return bad;
    const e = p.embed_dim ?? q!.shape[2];
    for (const [name, t] of [
      ['query', q!],
      ['key', k!],
      ['value', v!],
    ] as const) {
      if (t.shape[2] !== e)
        return fail(
          `Multi-head attention expects ${e} features (embed_dim) on its ${name} port, but receives ${fmt(t)}`,
          name,
        );
    }
    if (e % p.num_heads !== 0) return fail(`the embedding size ${e} is not divisible by the ${p.num_heads} heads`);
    return ok({
      output: { shape: [q!.shape[0], q!.shape[1], e], kind: 'sequence' },
      weights: { shape: [q!.shape[0], q!.shape[1], k!.shape[1]], kind: 'tensor' },
    });
  },
  // in_proj_weight 3E × E and out_proj.weight E × E; with bias, in_proj_bias 3E and out_proj.bias E.
  parameters: (p, inputs) => {
    const e = p.embed_dim ?? lastDim(inputs.query) ?? 0;
    return 4 * e * e + (p.bias ? 4 * e : 0);
  },
  formula: ({ params: p, inputs }) => {
    const e = p.embed_dim ?? lastDim(inputs.query) ?? 'E';
    return `\\mathrm{head}_h = \\mathrm{softmax}\\!\\left(\\frac{(QW^Q_h)(KW^K_h)^\\top}{\\sqrt{d_h}}\\right) VW^V_h,\\; z = [\\mathrm{head}_1;\\dots;\\mathrm{head}_{${p.num_heads}}]\\,W^O,\\quad W^O \\in \\mathbb{R}^{${e}\\times ${e}}`;
  },
  summary: (p, inputs) => `${p.embed_dim ?? lastDim(inputs.query) ?? '?'} features, ${p.num_heads} heads`,
  emit: {
    scratch: scratchMultiheadAttention,
    python: (ctx) => {
      const p = ctx.params;
      const n = ctx.name;
      const q = ctx.inputs.query;
      const k = ctx.inputs.key ?? q;
      const v = ctx.inputs.value ?? k;
      const e = p.embed_dim ?? lastDim(ctx.inputTypes.query);
      const out = ctx.outputs.output ?? `_${n}_out`;
      const w = ctx.outputs.weights ?? `_${n}_w`;
      return {
        init: [`self.${n} = nn.MultiheadAttention(${e}, ${p.num_heads}, bias=${pyBool(p.bias)}, batch_first=True)`],
        forward: [`${out}, ${w} = self.${n}(${q}, ${k}, ${v})`],
      };
    },
    ts: (ctx) => {
      const p = ctx.params;
      const n = ctx.name;
      const e = p.embed_dim ?? lastDim(ctx.inputTypes.query);
      const q = tsArg(ctx, 'query');
      const k = ctx.inputs.key ?? q;
      return {
        fields: [{ name: n, type: 'MultiheadAttention' }],
        init: [
          `this.${n} = this.registerModule(${tsLit(n)}, new MultiheadAttention(${e}, ${p.num_heads}, rng, { bias: ${p.bias}, batchFirst: true, dtype }));`,
        ],
        forward: tsAttentionOutputs(ctx, `this.${n}.forward(${q}, ${k}, ${ctx.inputs.value ?? k})`),
        engineImports: [tsImport('nn/multiheadAttention', 'MultiheadAttention')],
      };
    },
  },
});

export const multiheadAttentionNodeTypes = [multiheadAttentionNode] as const;
