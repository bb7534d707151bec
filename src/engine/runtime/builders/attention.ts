import { AdditiveAttention, scaledDotProductAttention } from '../../nn/attention';
import { attentionNodeTypes } from '../../graph/registry/attention';
import { defineBuilders } from '../builderTypes';
import { causalMask } from '../layerHelpers';

const last = (t: { shape: readonly number[] } | undefined): number => t!.shape[t!.shape.length - 1];

export const attentionBuilders = defineBuilders(attentionNodeTypes, {
  ScaledDotProductAttention: ({ params: p, inputs, dtype }) => {
    const mask = p.causal ? causalMask(inputs.query!.shape[1], inputs.key!.shape[1], dtype).keep() : null;
    return {
      forward: ({ query, key, value }) => {
        const r = scaledDotProductAttention(query, key, value, mask);
        return { output: r.output, weights: r.weights };
      },
    };
  },
  AdditiveAttention: ({ params: p, inputs, rng, dtype }) => {
    const m = new AdditiveAttention(
      p.query_size ?? last(inputs.query),
      p.key_size ?? last(inputs.key),
      p.hidden_size,
      rng,
      { dtype },
    );
    return {
      module: m,
      forward: ({ query, key, value }) => {
        const r = m.forward(query, key, value ?? key);
        return { output: r.output, weights: r.weights };
      },
    };
  },
});
