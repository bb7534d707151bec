import { noGrad } from '../../../autograd/gradMode';
import { predictSign, predictThreshold } from '../../../nn/predict';
import { sigmoid, softmax } from '../../../ops/activation';
import type { NodeBuilder } from '../builderTypes';
import { defineBuilder } from '../builderTypes';
import { argmaxAlong } from '../layerHelpers';

// Prediction functions pass no gradient: they run under noGrad and record nothing.
export const predictionBuilders: Readonly<Record<string, NodeBuilder>> = {
  Sign: defineBuilder(() => ({ forward: ({ input }) => ({ out: noGrad(() => predictSign(input)) }) })),
  Threshold: defineBuilder<{ threshold: number }>(({ params }) => ({
    forward: ({ input }) => ({ out: noGrad(() => predictThreshold(input, params.threshold)) }),
  })),
  SigmoidProbability: defineBuilder(() => ({ forward: ({ input }) => ({ out: sigmoid(input) }) })),
  SoftmaxProbability: defineBuilder<{ dim: number }>(({ params }) => ({
    forward: ({ input }) => ({ out: softmax(input, params.dim) }),
  })),
  Argmax: defineBuilder<{ dim: number }>(({ params }) => ({
    forward: ({ input }) => ({ out: noGrad(() => argmaxAlong(input, params.dim)) }),
  })),
};
