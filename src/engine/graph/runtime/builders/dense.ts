import { add } from '../../../ops/arithmetic';
import { concat, reshape } from '../../../ops/shape';
import { Dropout } from '../../../nn/dropout';
import { Linear } from '../../../nn/linear';
import type { Tensor } from '../../../tensor/tensor';
import type { NodeBuilder } from '../builderTypes';
import { defineBuilder } from '../builderTypes';

/** The runtime shape of an inferred output: the symbolic batch replaced by the real one. */
export function concreteShape(shape: readonly number[], batch: number): number[] {
  return shape.map((d) => (d === -1 ? batch : d));
}

export const denseBuilders: Readonly<Record<string, NodeBuilder>> = {
  Linear: defineBuilder<{ in_features: number | null; out_features: number; bias: boolean }>(
    ({ params, inputs, rng, dtype }) => {
      const inF = params.in_features ?? inputs.input!.shape[inputs.input!.shape.length - 1];
      const m = new Linear(inF, params.out_features, rng, { bias: params.bias, dtype });
      return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
    },
  ),
  Dropout: defineBuilder<{ p: number }>(({ params, rng }) => {
    // Its own generator, so masks do not shift the initialisation of later layers.
    const m = new Dropout(params.p, rng.fork());
    return { module: m, forward: ({ input }, training) => ({ out: m.train(training).forward(input) }) };
  }),
  Flatten: defineBuilder(({ outputs }) => ({
    forward: ({ input }) => ({ out: reshape(input, concreteShape(outputs.out.shape, input.shape[0])) }),
  })),
  Reshape: defineBuilder(({ outputs }) => ({
    forward: ({ input }) => ({ out: reshape(input, concreteShape(outputs.out.shape, input.shape[0])) }),
  })),
  Add: defineBuilder(() => ({ forward: ({ a, b }) => ({ out: add(a, b) }) })),
  Concat: defineBuilder<{ dim: number }>(({ params, outputs }) => {
    const rank = outputs.out.shape.length;
    const axis = params.dim < 0 ? params.dim + rank : params.dim;
    return {
      forward: ({ a, b, c }) => ({
        out: concat(
          [a, b, c].filter((t): t is Tensor => t !== undefined),
          axis,
        ),
      }),
    };
  }),
};
