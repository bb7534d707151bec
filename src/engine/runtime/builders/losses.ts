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
  ({ params }) => {
    // The options are the node's parameters: made once, not at every step.
    const opts = {
      reduction: params.reduction,
      ...(params.margin === undefined ? {} : { margin: params.margin }),
      ...(params.ignore_index === undefined ? {} : { ignoreIndex: params.ignore_index }),
    };
    return {
      forward: ({ input, target }) => {
        const c = input.shape[input.shape.length - 1];
        const x = input.rank === 2 ? input : reshape(input, [-1, c]);
        const y = target.rank === 1 ? target : reshape(target, [-1]);
        return { [LOSS_VALUE]: f(x, y, opts) };
      },
    };
  };

/**
 * The engine's op behind each loss node type, by its family: same-shape losses and class-index
 * losses. The builders below wrap them; the Losses tab (runtime/lossView.ts) draws them.
 */
export const ELEMENT_LOSSES = {
  MSELoss: mseLoss,
  L1Loss: l1Loss,
  BCEWithLogitsLoss: bceWithLogitsLoss,
  LogisticLoss: logisticLoss,
  HingeLoss: hingeLoss,
  HingeLoss01: hingeLoss01,
  PerceptronLoss: perceptronLoss,
} as const satisfies Record<string, ElementLoss>;
export const CLASS_LOSSES = {
  MulticlassHingeLoss: multiMarginLoss,
  CrossEntropyLoss: crossEntropyLoss,
  NLLLoss: nllLoss,
} as const satisfies Record<string, ClassLoss>;

function mapValues<K extends string, A, B>(table: Record<K, A>, f: (a: A) => B): Record<K, B> {
  return Object.fromEntries(Object.entries<A>(table).map(([k, v]) => [k, f(v)])) as Record<K, B>;
}

export const lossBuilders = defineBuilders(lossNodeTypes, {
  ...mapValues(ELEMENT_LOSSES, elementwise),
  ...mapValues(CLASS_LOSSES, classes),
});
