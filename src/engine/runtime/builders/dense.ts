import { Dropout } from '../../nn/dropout';
import { BatchNorm1d, BatchNorm2d } from '../../nn/batchnorm';
import { Embedding } from '../../nn/embedding';
import { Linear } from '../../nn/linear';
import { denseNodeTypes } from '../../graph/registry/dense';
import { defineBuilders } from '../builderTypes';

export const denseBuilders = defineBuilders(denseNodeTypes, {
  Linear: ({ params, inputs, rng, dtype }) => {
    const inF = params.in_features ?? inputs.input!.shape[inputs.input!.shape.length - 1];
    const m = new Linear(inF, params.out_features, rng, { bias: params.bias, dtype });
    return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
  },
  Dropout: ({ params, rng }) => {
    // Its own generator, so masks do not shift the initialisation of later layers.
    const m = new Dropout(params.p, rng.fork());
    return { module: m, forward: ({ input }, training) => ({ out: m.train(training).forward(input) }) };
  },
  BatchNorm: ({ params: p, inputs, dtype }) => {
    const c = p.num_features ?? inputs.input!.shape[1];
    const opts = { eps: p.eps, momentum: p.momentum, affine: p.affine, dtype };
    const m = inputs.input!.shape.length === 4 ? new BatchNorm2d(c, opts) : new BatchNorm1d(c, opts);
    return { module: m, forward: ({ input }, training) => ({ out: m.train(training).forward(input) }) };
  },
  Embedding: ({ params: p, rng, dtype }) => {
    const m = new Embedding(p.num_embeddings, p.embedding_dim, rng, { dtype });
    return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
  },
});
