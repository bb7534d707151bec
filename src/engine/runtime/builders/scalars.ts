import { ScalarParameter } from '../../nn/scalar';
import { clone } from '../../ops/shape';
import { scalar } from '../../tensor/create';
import { keep } from '../../tensor/scope';
import { scalarNodeTypes } from '../../graph/registry/scalars';
import { defineBuilders } from '../builderTypes';

export const scalarBuilders = defineBuilders(scalarNodeTypes, {
  // One tensor for the model's lifetime: the value never changes and carries no gradient.
  Constant: ({ params, dtype }) => {
    const c = keep(scalar(params.value, { dtype }));
    return { forward: () => ({ out: c }) };
  },
  // The value passes through one Identity record, so the node is a step of the backward pass:
  // the step session reports the parameter's gradient when the pass reaches it.
  Parameter: ({ params, dtype }) => {
    const m = new ScalarParameter(params.value, { dtype });
    return { module: m, forward: () => ({ out: clone(m.forward()) }) };
  },
});
