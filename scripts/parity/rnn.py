"""Parity references for RNN (tanh, relu), LSTM and GRU (see common.py for the recipe).

Outputs are stored as torch returns them: `output` (every step, last layer, both directions
concatenated), `h_n` [num_layers * num_directions, batch, hidden] and for LSTM `c_n`.
"""
import torch
from common import run_case, randn32

CONFIGS = [
    dict(num_layers=1, bidirectional=False, batch_first=False, init=False, seq=5),
    dict(num_layers=2, bidirectional=True, batch_first=True, init=True, seq=4),
    dict(num_layers=1, bidirectional=True, batch_first=False, init=True, seq=3),
    dict(num_layers=2, bidirectional=False, batch_first=True, init=False, seq=4),
    dict(num_layers=1, bidirectional=True, batch_first=True, init=False, seq=20),
    dict(num_layers=2, bidirectional=True, batch_first=True, init=True, seq=3, unbatched=True),
]
KINDS = [('RNN', 'tanh'), ('RNN', 'relu'), ('LSTM', None), ('GRU', None)]
INPUT, HIDDEN, BATCH = 3, 4, 2


def cases():
    out = []
    for ki, (kind, nonlin) in enumerate(KINDS):
        for ci, c in enumerate(CONFIGS):
            if c['seq'] == 20 and ci != 4:
                continue
            torch.manual_seed(1000 + 10 * ki + ci)
            cfg = dict(input_size=INPUT, hidden_size=HIDDEN, num_layers=c['num_layers'],
                       bidirectional=c['bidirectional'], batch_first=c['batch_first'], bias=not (kind == 'GRU' and ci == 3))
            if nonlin:
                cfg['nonlinearity'] = nonlin
            m = getattr(torch.nn, kind)(**cfg)
            dirs = 2 if c['bidirectional'] else 1
            # An unbatched input is [seq, features] (batch_first does not apply) with states [L*D, H].
            batch = [] if c.get('unbatched') else [BATCH]
            shape = [c['seq'], INPUT] if c.get('unbatched') else [BATCH, c['seq'], INPUT] if c['batch_first'] else [c['seq'], BATCH, INPUT]
            inputs = {'input': randn32(*shape)}
            if c['init']:
                inputs['h_0'] = randn32(c['num_layers'] * dirs, *batch, HIDDEN)
                if kind == 'LSTM':
                    inputs['c_0'] = randn32(c['num_layers'] * dirs, *batch, HIDDEN)

            def fwd(m, a, kind=kind):
                if kind == 'LSTM':
                    if 'h_0' in a:
                        y, (h, cn) = m(a['input'], (a['h_0'], a['c_0']))
                    else:
                        y, (h, cn) = m(a['input'])
                    return {'output': y, 'h_n': h, 'c_n': cn}
                y, h = m(a['input'], a['h_0']) if 'h_0' in a else m(a['input'])
                return {'output': y, 'h_n': h}

            name = '%s_%s%d' % (kind.lower(), (nonlin + '_') if nonlin else '', ci)
            out.append(run_case(name, kind, cfg, m, inputs, fwd))
    return out
