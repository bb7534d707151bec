"""PyTorch references for backpropagation through time, unrolled (src/engine/runtime/unrolled.ts).

    /usr/bin/python3 scripts/parity/unrolled.py [--out FILE]

For one sequence and each recurrent cell (RNN tanh, LSTM, GRU): the cell is run one time step
at a time with torch.nn.RNNCell / LSTMCell / GRUCell holding the weights of torch.nn.RNN / LSTM /
GRU (checked to give the same output), each step's h_t (and c_t) retained, then a Linear head
and an MSE loss, all in float64. Stored: the weights, the sequence, the target, the loss and, per
step, h_t, c_t, dL/dh_t and dL/dc_t. The unrolled view's test compares the engine's with these.
"""
import argparse
import json
import os

import torch
import torch.nn.functional as F

from common import dump, r9

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, '..', '..', 'src', 'engine', 'runtime', '__parity__', 'unrolled.json')

# kind, the port the head reads ('output': every step, 'hidden': the last), steps, inputs, hidden, head outputs
CASES = [
    ('RNN', 'hidden', 9, 2, 5, 3),
    ('LSTM', 'output', 7, 3, 4, 2),
    ('GRU', 'hidden', 8, 2, 4, 3),
]


def case(ki, kind, port, T, I, H, O):
    torch.manual_seed(2000 + ki)
    layer = getattr(torch.nn, kind)(I, H, batch_first=True)
    fc = torch.nn.Linear(H, O)
    x = torch.randn(1, T, I, dtype=torch.float32)
    target = torch.randn(1, T, O, dtype=torch.float32) if port == 'output' else torch.randn(1, O, dtype=torch.float32)
    layer, fc = layer.double(), fc.double()
    x, target = x.double(), target.double()
    cell = {'RNN': torch.nn.RNNCell, 'LSTM': torch.nn.LSTMCell, 'GRU': torch.nn.GRUCell}[kind](I, H).double()
    with torch.no_grad():
        cell.weight_ih.copy_(layer.weight_ih_l0)
        cell.weight_hh.copy_(layer.weight_hh_l0)
        cell.bias_ih.copy_(layer.bias_ih_l0)
        cell.bias_hh.copy_(layer.bias_hh_l0)
    h = torch.zeros(1, H, dtype=torch.float64)
    c = torch.zeros(1, H, dtype=torch.float64)
    hs, cs = [], []
    for t in range(T):
        if kind == 'LSTM':
            h, c = cell(x[:, t], (h, c))
            c.retain_grad()
            cs.append(c)
        else:
            h = cell(x[:, t], h)
        h.retain_grad()
        hs.append(h)
    output = torch.stack(hs, 1)
    # The stepped cell is torch's own layer, step by step.
    whole = layer(x)[0]
    assert torch.allclose(whole, output, atol=1e-12), 'the cells do not reproduce the layer'
    score = fc(output if port == 'output' else hs[-1])
    loss = F.mse_loss(score, target)
    loss.backward()
    weights = {f'rnn.{k}': dump(v) for k, v in layer.named_parameters()}
    weights.update({f'fc.{k}': dump(v) for k, v in fc.named_parameters()})
    return {
        'cell': kind,
        'port': port,
        'steps': T,
        'inputSize': I,
        'hiddenSize': H,
        'outFeatures': O,
        'weights': weights,
        'x': dump(x),
        'target': dump(target),
        'loss': r9(loss.item()),
        'h': [dump(v) for v in hs],
        'c': [dump(v) for v in cs] if kind == 'LSTM' else None,
        'dh': [dump(v.grad) for v in hs],
        'dc': [dump(v.grad) for v in cs] if kind == 'LSTM' else None,
        'gradNorms': [r9(v.grad.norm().item()) for v in hs],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default=DEFAULT_OUT)
    args = ap.parse_args()
    torch.set_default_dtype(torch.float64)
    out = {'torch': torch.__version__.split('+')[0], 'cases': [case(i, *c) for i, c in enumerate(CASES)]}
    with open(args.out, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
