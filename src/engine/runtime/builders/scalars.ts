import { ScalarParameter } from '../../nn/scalar';
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
  Parameter: ({ params, dtype }) => {
    const m = new ScalarParameter(params.value, { dtype });
    return { module: m, forward: () => ({ out: m.forward() }) };
  },
});
