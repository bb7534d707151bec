import { noGrad } from '../../autograd/gradMode';
import { predictSign, predictThreshold } from '../../nn/predict';
import { sigmoid, softmax } from '../../ops/activation';
import { predictionNodeTypes } from '../../graph/registry/prediction';
import { defineBuilders } from '../builderTypes';
import { argmaxAlong } from '../layerHelpers';

// Prediction functions pass no gradient: they run under noGrad and record nothing.
export const predictionBuilders = defineBuilders(predictionNodeTypes, {
  Sign: () => ({ forward: ({ input }) => ({ out: noGrad(() => predictSign(input)) }) }),
  Threshold: ({ params }) => ({
    forward: ({ input }) => ({ out: noGrad(() => predictThreshold(input, params.threshold)) }),
  }),
  SigmoidProbability: () => ({ forward: ({ input }) => ({ out: sigmoid(input) }) }),
  SoftmaxProbability: ({ params }) => ({ forward: ({ input }) => ({ out: softmax(input, params.dim) }) }),
  Argmax: ({ params }) => ({ forward: ({ input }) => ({ out: noGrad(() => argmaxAlong(input, params.dim)) }) }),
});
