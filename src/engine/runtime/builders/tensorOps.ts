import { mean, sum } from '../../ops/reduce';
import { maxAlong, select, sliceStep } from '../../ops/select';
import { permute, transpose } from '../../ops/shape';
import { permutationOf, tensorOpNodeTypes } from '../../graph/registry/tensorOps';
import { defineBuilders } from '../builderTypes';

/** A dimension normalised against the input's inferred rank (inference has refused bad ones). */
const norm = (dim: number, rank: number): number => (dim < 0 ? dim + rank : dim);

export const tensorOpBuilders = defineBuilders(tensorOpNodeTypes, {
  Select: ({ params, inputs }) => {
    const d = norm(params.dim, inputs.input!.shape.length);
    return { forward: ({ input }) => ({ out: select(input, d, params.index) }) };
  },
  Slice: ({ params: p, inputs }) => {
    const d = norm(p.dim, inputs.input!.shape.length);
    return { forward: ({ input }) => ({ out: sliceStep(input, d, p.start, p.end, p.step) }) };
  },
  Reduce: ({ params: p, inputs }) => {
    const d = norm(p.dim, inputs.input!.shape.length);
    const f = p.op === 'max' ? maxAlong : p.op === 'sum' ? sum : mean;
    return { forward: ({ input }) => ({ out: f(input, d, p.keepdim) }) };
  },
  Transpose: ({ params: p, inputs }) => {
    const rank = inputs.input!.shape.length;
    return { forward: ({ input }) => ({ out: transpose(input, norm(p.dim0, rank), norm(p.dim1, rank)) }) };
  },
  Permute: ({ params, inputs }) => {
    const perm = permutationOf(params.dims, inputs.input!.shape) as number[];
    return { forward: ({ input }) => ({ out: permute(input, perm) }) };
  },
});
