import { CustomParameters } from '../../nn/customParameters';
import { customNodeTypes } from '../../graph/registry/custom';
import { defineBuilders } from '../builderTypes';
import { CustomCodeError, customCodeHost } from '../customCode';

const same = (a: readonly number[], b: readonly number[] | undefined): boolean =>
  b !== undefined && a.length === b.length && a.every((d, i) => d === b[i]);

export const customBuilders = defineBuilders(customNodeTypes, {
  // The code as it is now, compiled in the thread's sandbox; its parameter shapes must be the
  // ones validation was told (the kept signature), or the model would not be the one checked.
  Custom: ({ nodeId, params, rng, dtype }) => {
    const program = customCodeHost().compile(params.code);
    const declared = program.params;
    const kept = params.signature?.params ?? {};
    const names = Object.keys(declared);
    if (names.length !== Object.keys(kept).length || names.some((n) => !same(declared[n]!, kept[n])))
      throw new Error('the custom node’s parameters changed since its code last ran; it runs again');
    const m = new CustomParameters(declared, rng, { dtype });
    const forward = (inputs: Parameters<typeof program.forward>[0]) => {
      try {
        return program.forward(inputs, m.all());
      } catch (e) {
        if (!(e instanceof CustomCodeError)) throw e;
        const at = e.line === undefined ? '' : ` (line ${e.line})`;
        throw new CustomCodeError(`The custom node "${nodeId}": ${e.message}${at}`, e.line, e.column);
      }
    };
    return { module: m, forward: (inputs) => ({ out: forward(inputs) }) };
  },
});
