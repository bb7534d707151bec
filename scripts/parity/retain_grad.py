"""PyTorch reference for the engine's retainGrad(): prints JSON to stdout.

For each case, the .grad of every retained tensor after one backward() and after a second one
(retain_graph=True, so retained gradients accumulate). The graphs and inputs mirror
src/engine/autograd/retainGrad.torch.test.ts, which runs this script and compares live.
"""
import json
import torch

torch.set_default_dtype(torch.float64)


def leaf(values):
    return torch.tensor(values, dtype=torch.float64, requires_grad=True)


def run(build):
    loss, retained = build()
    for t in retained.values():
        t.retain_grad()
    loss.backward(retain_graph=True)
    once = {k: t.grad.reshape(-1).tolist() for k, t in retained.items()}
    loss.backward()
    twice = {k: t.grad.reshape(-1).tolist() for k, t in retained.items()}
    return {'once': once, 'twice': twice}


def diamond():
    x = leaf([0.3, -0.7, 1.1])
    a = torch.tanh(x * 1.5)
    b = torch.exp(a)
    c = a * 2
    d = b * c
    return d.sum(), {'a': a, 'b': b, 'c': c, 'd': d}


def chain():
    x = leaf([0.2, -0.4])
    a = torch.tanh(x)
    y3 = torch.sigmoid(torch.exp(x) * 3)
    return (a * y3).sum(), {'a': a}


def square_by_mul():
    x = leaf([0.5, -1.5, 2])
    a = torch.tanh(x)
    return (a * a).sum(), {'a': a}


def view():
    x = leaf([0.1, -0.2, 0.3, 0.4])
    v = x.reshape(2, 2)
    return (v @ v + v.square()).sum(), {'v': v}


if __name__ == '__main__':
    cases = {'diamond': diamond, 'chain': chain, 'squareByMul': square_by_mul, 'view': view}
    print(json.dumps({name: run(build) for name, build in cases.items()}))
