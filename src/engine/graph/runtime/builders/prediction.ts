import { noGrad } from '../../../autograd/gradMode';
import { sigmoid, softmax } from '../../../ops/activation';
import { greaterEqual, where } from '../../../ops/compare';
import { empty } from '../../../tensor/create';
import type { Tensor } from '../../../tensor/tensor';
import type { NodeBuilder } from '../builderTypes';
import { defineBuilder } from '../builderTypes';

/** Index of the largest value along `dim` (first one on ties, as torch.argmax), as a float tensor. */
export function argmax(x: Tensor, dim: number): Tensor {
  const d = dim < 0 ? dim + x.rank : dim;
  const size = x.shape[d];
  const inner = x.shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const outer = x.size / (size * inner);
  const out = empty(x.shape.filter((_, i) => i !== d), x.dtype);
  const src = x.data;
  const dst = out.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = 0;
      let bestV = -Infinity;
      for (let k = 0; k < size; k++) {
        const v = src[(o * size + k) * inner + i];
        // NOTE: NaN counts as the maximum, as in torch.argmax.
        if (v > bestV || (Number.isNaN(v) && !Number.isNaN(bestV))) {
          bestV = v;
          best = k;
        }
      }
      dst[o * inner + i] = best;
    }
  }
  return out;
}

export const predictionBuilders: Readonly<Record<string, NodeBuilder>> = {
  Sign: defineBuilder(() => ({ forward: ({ input }) => ({ out: noGrad(() => where(greaterEqual(input, 0), 1, -1)) }) })),
  Threshold: defineBuilder<{ threshold: number }>(({ params }) => ({ forward: ({ input }) => ({ out: noGrad(() => greaterEqual(input, params.threshold)) }) })),
  SigmoidProbability: defineBuilder(() => ({ forward: ({ input }) => ({ out: sigmoid(input) }) })),
  SoftmaxProbability: defineBuilder<{ dim: number }>(({ params }) => ({ forward: ({ input }) => ({ out: softmax(input, params.dim) }) })),
  Argmax: defineBuilder<{ dim: number }>(({ params }) => ({ forward: ({ input }) => ({ out: noGrad(() => argmax(input, params.dim)) }) })),
};
