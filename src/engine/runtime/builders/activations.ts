import { leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh } from '../../ops/activation';
import type { Tensor } from '../../tensor/tensor';
import { activationNodeTypes } from '../../graph/registry/activations';
import type { NodeBuilder } from '../builderTypes';
import { defineBuilders } from '../builderTypes';

const unary =
  (f: (x: Tensor) => Tensor): NodeBuilder<unknown> =>
  () => ({ forward: ({ input }) => ({ out: f(input) }) });

export const activationBuilders = defineBuilders(activationNodeTypes, {
  Sigmoid: unary(sigmoid),
  Tanh: unary(tanh),
  ReLU: unary(relu),
  LeakyReLU: ({ params }) => ({ forward: ({ input }) => ({ out: leakyRelu(input, params.negative_slope) }) }),
  Softmax: ({ params }) => ({ forward: ({ input }) => ({ out: softmax(input, params.dim) }) }),
  LogSoftmax: ({ params }) => ({ forward: ({ input }) => ({ out: logSoftmax(input, params.dim) }) }),
});
