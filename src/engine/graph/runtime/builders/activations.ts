import { leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh } from '../../../ops/activation';
import type { Tensor } from '../../../tensor/tensor';
import type { NodeBuilder } from '../builderTypes';
import { defineBuilder } from '../builderTypes';

const unary = (f: (x: Tensor) => Tensor): NodeBuilder =>
  defineBuilder(() => ({ forward: ({ input }) => ({ out: f(input) }) }));

export const activationBuilders: Readonly<Record<string, NodeBuilder>> = {
  Sigmoid: unary(sigmoid),
  Tanh: unary(tanh),
  ReLU: unary(relu),
  LeakyReLU: defineBuilder<{ negative_slope: number }>(({ params }) => ({
    forward: ({ input }) => ({ out: leakyRelu(input, params.negative_slope) }),
  })),
  Softmax: defineBuilder<{ dim: number }>(({ params }) => ({
    forward: ({ input }) => ({ out: softmax(input, params.dim) }),
  })),
  LogSoftmax: defineBuilder<{ dim: number }>(({ params }) => ({
    forward: ({ input }) => ({ out: logSoftmax(input, params.dim) }),
  })),
};
