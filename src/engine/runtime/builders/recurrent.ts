import { GRU, LSTM, RNN } from '../../nn/rnn';
import { zeros } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import type { RecurrentParams } from '../../graph/registry/recurrent';
import { recurrentNodeTypes } from '../../graph/registry/recurrent';
import type { NodeBuilder } from '../builderTypes';
import { defineBuilders } from '../builderTypes';
import { initialState, lastLayerState } from '../layerHelpers';

function recurrent(cell: 'RNN' | 'LSTM' | 'GRU'): NodeBuilder<RecurrentParams & { nonlinearity?: 'tanh' | 'relu' }> {
  return ({ params: p, inputs, rng, dtype }) => {
    const opts = { numLayers: p.num_layers, bias: p.bias, batchFirst: true, bidirectional: p.bidirectional, dtype };
    const inF = p.input_size ?? inputs.input!.shape[inputs.input!.shape.length - 1];
    if (cell === 'LSTM') {
      const m = new LSTM(inF, p.hidden_size, rng, opts);
      return {
        module: m,
        forward: ({ input, h0, c0 }) => {
          // torch needs both initial states or neither: the missing one starts at zero.
          const zero = (like: Tensor) => zeros(like.shape, { dtype: like.dtype });
          const h = h0 ?? (c0 ? zero(c0) : undefined);
          const c = c0 ?? (h0 ? zero(h0) : undefined);
          const r = m.forward(input, initialState(m, h), initialState(m, c));
          return { output: r.output, hidden: lastLayerState(m, r.hN), cell: lastLayerState(m, r.cN) };
        },
      };
    }
    const m =
      cell === 'RNN'
        ? new RNN(inF, p.hidden_size, rng, { ...opts, nonlinearity: p.nonlinearity ?? 'tanh' })
        : new GRU(inF, p.hidden_size, rng, opts);
    return {
      module: m,
      forward: ({ input, h0 }) => {
        const r = m.forward(input, initialState(m, h0));
        return { output: r.output, hidden: lastLayerState(m, r.hN) };
      },
    };
  };
}

export const recurrentBuilders = defineBuilders(recurrentNodeTypes, {
  RNN: recurrent('RNN'),
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
});
