import { MultiheadAttention } from '../../nn/multiheadAttention';
import { multiheadAttentionNodeTypes } from '../../graph/registry/multiheadAttention';
import { defineBuilders } from '../builderTypes';

export const multiheadAttentionBuilders = defineBuilders(multiheadAttentionNodeTypes, {
  MultiheadAttention: ({ params: p, inputs, rng, dtype }) => {
    const e = p.embed_dim ?? inputs.query!.shape[inputs.query!.shape.length - 1];
    const m = new MultiheadAttention(e, p.num_heads, rng, { bias: p.bias, batchFirst: true, dtype });
    return {
      module: m,
      forward: ({ query, key, value }) => {
        const k = key ?? query;
        const r = m.forward(query, k, value ?? k);
        return { output: r.output, weights: r.weights! };
      },
    };
  },
});
