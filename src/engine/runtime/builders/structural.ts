import { add, div, mul, sub } from '../../ops/arithmetic';
import { concat, reshape } from '../../ops/shape';
import type { Tensor } from '../../tensor/tensor';
import { structuralNodeTypes } from '../../graph/registry/structural';
import { defineBuilders } from '../builderTypes';

/** The runtime shape of an inferred output: the symbolic batch replaced by the real one. */
export function concreteShape(shape: readonly number[], batch: number): number[] {
  return shape.map((d) => (d === -1 ? batch : d));
}

export const structuralBuilders = defineBuilders(structuralNodeTypes, {
  Flatten: ({ outputs }) => ({
    forward: ({ input }) => ({ out: reshape(input, concreteShape(outputs.out.shape, input.shape[0])) }),
  }),
  Reshape: ({ outputs }) => ({
    forward: ({ input }) => ({ out: reshape(input, concreteShape(outputs.out.shape, input.shape[0])) }),
  }),
  Add: () => ({ forward: ({ a, b }) => ({ out: add(a, b) }) }),
  Multiply: () => ({ forward: ({ a, b }) => ({ out: mul(a, b) }) }),
  Subtract: () => ({ forward: ({ a, b }) => ({ out: sub(a, b) }) }),
  Divide: () => ({ forward: ({ a, b }) => ({ out: div(a, b) }) }),
  Concat: ({ params, outputs }) => {
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
  },
});
