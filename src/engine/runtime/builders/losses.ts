import {
  bceWithLogitsLoss,
  crossEntropyLoss,
  hingeLoss,
  hingeLoss01,
  l1Loss,
  logisticLoss,
  mseLoss,
  multiMarginLoss,
  nllLoss,
  perceptronLoss,
} from '../../nn/losses';
import type { LossOptions } from '../../nn/losses';
import { reshape } from '../../ops/shape';
import { shapesEqual } from '../../tensor/shape';
import type { Tensor } from '../../tensor/tensor';
import type { Reduction } from '../../graph/registry/losses';
import { LOSS_VALUE, lossNodeTypes } from '../../graph/registry/losses';
import type { NodeBuilder } from '../builderTypes';
import { defineBuilders } from '../builderTypes';

type ElementLoss = (input: Tensor, target: Tensor, opts: LossOptions) => Tensor;
type ClassLoss = (
  input: Tensor,
  target: Tensor,
  opts: LossOptions & { margin?: number; ignoreIndex?: number },
) => Tensor;

/** Same-shape losses; an N target for N×1 scores is reshaped to N×1 (never broadcast to N×N). */
const elementwise =
  (f: ElementLoss): NodeBuilder<{ reduction: Reduction }> =>
  ({ params }) => ({
    forward: ({ input, target }) => ({
      [LOSS_VALUE]: f(input, shapesEqual(input.shape, target.shape) ? target : reshape(target, input.shape), {
        reduction: params.reduction,
      }),
    }),
  });

/** Class-index losses; sequences N×T×C are scored as N·T rows of C scores. */
const classes =
  (f: ClassLoss): NodeBuilder<{ reduction: Reduction; margin?: number; ignore_index?: number }> =>
  ({ params }) => ({
    forward: ({ input, target }) => {
      const c = input.shape[input.shape.length - 1];
      const x = input.rank === 2 ? input : reshape(input, [-1, c]);
      const y = target.rank === 1 ? target : reshape(target, [-1]);
      return {
        [LOSS_VALUE]: f(x, y, {
          reduction: params.reduction,
          ...(params.margin === undefined ? {} : { margin: params.margin }),
          ...(params.ignore_index === undefined ? {} : { ignoreIndex: params.ignore_index }),
        }),
      };
    },
  });

export const lossBuilders = defineBuilders(lossNodeTypes, {
  MSELoss: elementwise(mseLoss),
  L1Loss: elementwise(l1Loss),
  BCEWithLogitsLoss: elementwise(bceWithLogitsLoss),
  LogisticLoss: elementwise(logisticLoss),
  HingeLoss: elementwise(hingeLoss),
  HingeLoss01: elementwise(hingeLoss01),
  PerceptronLoss: elementwise(perceptronLoss),
  MulticlassHingeLoss: classes(multiMarginLoss),
  CrossEntropyLoss: classes(crossEntropyLoss),
  NLLLoss: classes(nllLoss),
});
