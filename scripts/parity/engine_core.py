"""PyTorch references for the engine core: Linear's default initialisation, every loss
(value and input gradient, mean and sum reductions) and the optimizers' update rules.

    /usr/bin/python3 scripts/parity/engine_core.py [--out FILE]

Writes src/engine/nn/coreParity.json by default. Inputs are drawn here (torch.manual_seed) and
stored with the results; everything is computed in float64. The engine's tests
(nn/coreParity.test.ts, optim/optim.parity.test.ts) read the file, and coreParity.sync.test.ts
re-runs this script and compares.
"""
import argparse
import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def r(v):
    return float('%.12g' % v)


def flat(t):
    return [r(v) for v in t.detach().reshape(-1).tolist()]


def away_from(t, kinks, gap=0.05):
    """Moves entries within `gap` of a kink out of that window (gradient checks and parity avoid kinks)."""
    for k in kinks:
        d = t - k
        near = d.abs() < gap
        t = torch.where(near, k + torch.sign(d + 1e-12) * gap * 1.5, t)
    return t


def linear_init():
    out = []
    for fan_in, fan_out in [(1, 3), (2, 16), (64, 10), (784, 128), (128, 10)]:
        torch.manual_seed(0)
        lin = torch.nn.Linear(fan_in, fan_out)
        w_fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(lin.weight)
        gain = torch.nn.init.calculate_gain('leaky_relu', math.sqrt(5))
        w_bound = gain * math.sqrt(3.0 / w_fan_in)
        b_bound = 1 / math.sqrt(w_fan_in) if w_fan_in > 0 else 0
        out.append({
            'in': fan_in, 'out': fan_out, 'weightBound': r(w_bound), 'biasBound': r(b_bound),
            'weightMaxAbs': r(lin.weight.abs().max().item()), 'biasMaxAbs': r(lin.bias.abs().max().item()),
            'weightShape': list(lin.weight.shape), 'biasShape': list(lin.bias.shape),
        })
    return out


def multiclass_hinge(w, y, m):
    # The course's multiclass hinge: max(0, m - w_y + max_{y' != y} w_y'), per sample.
    wy = w.gather(1, y.view(-1, 1))
    mask = F.one_hot(y, w.shape[1]).bool()
    others = w.masked_fill(mask, float('-inf')).amax(dim=1, keepdim=True)
    return torch.relu(m - wy + others).view(-1)


def losses():
    cases = []
    torch.manual_seed(1)

    def add(name, fn, x, target, extra=None):
        for red in ['mean', 'sum']:
            xx = x.clone().requires_grad_(True)
            per = fn(xx, target)
            loss = per.mean() if red == 'mean' else per.sum()
            loss.backward()
            c = {'name': name, 'reduction': red, 'input': flat(x), 'shape': list(x.shape),
                 'target': [int(v) for v in target.tolist()] if target.dtype == torch.int64 else flat(target),
                 'loss': r(loss.item()), 'grad': flat(xx.grad)}
            if extra:
                c.update(extra)
            cases.append(c)

    for shape in [(6,), (4, 3)]:
        x = torch.randn(*shape) * 2
        t = torch.randn(*shape)
        add('mse', lambda a, b: F.mse_loss(a, b, reduction='none'), x, t)
        add('l1', lambda a, b: F.l1_loss(a, b, reduction='none'), away_from(x - t, [0]) + t, t)
    for n in [5, 8]:
        x = torch.randn(n) * 3
        t01 = (torch.rand(n) > 0.5).double()
        tpm = t01 * 2 - 1
        add('bceWithLogits', lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction='none'), x, t01)
        add('logistic', lambda a, b: F.softplus(-b * a), x, tpm)
        xh = away_from(x * tpm, [1]) * tpm
        add('hinge', lambda a, b: torch.relu(1 - b * a), xh, tpm)
        add('hinge01', lambda a, b: torch.relu(1 - (2 * b - 1) * a), xh, t01)
        xp = away_from(x * tpm, [0]) * tpm
        add('perceptron', lambda a, b: torch.relu(-b * a), xp, tpm)
    for n, c in [(6, 3), (4, 5)]:
        w = torch.randn(n, c) * 2
        y = torch.randint(0, c, (n,))
        add('crossEntropy', lambda a, b: F.cross_entropy(a, b, reduction='none'), w, y)
        lp = F.log_softmax(torch.randn(n, c), dim=1)
        add('nll', lambda a, b: F.nll_loss(a, b, reduction='none'), lp, y)
        for m in [1.0, 0.5]:
            # Keep away from the hinge and from ties among the wrong classes.
            wm = w.clone()
            for _ in range(20):
                wy = wm.gather(1, y.view(-1, 1)).view(-1)
                others = wm.masked_fill(F.one_hot(y, c).bool(), float('-inf'))
                top2 = others.topk(2, dim=1).values
                margin_val = m - wy + top2[:, 0]
                bad = (margin_val.abs() < 0.05) | ((top2[:, 0] - top2[:, 1]).abs() < 0.05)
                if not bad.any():
                    break
                wm[bad] = torch.randn(int(bad.sum()), c) * 2
            add('multiMargin', lambda a, b, m=m: multiclass_hinge(a, b, m), wm, y, {'margin': m})
    # Sequences: scores N×T×C (the engine's layout) with N×T targets and padding ignored; torch
    # takes the scores as N×C×T, hence the transpose.
    for (n, t, c), ig in [((3, 4, 5), 0), ((2, 5, 3), -100)]:
        w = torch.randn(n, t, c) * 2
        y = torch.randint(0, c, (n, t))
        y[0, -2:] = ig
        y[n - 1, -1] = ig
        lp = F.log_softmax(torch.randn(n, t, c), dim=2)
        for name, fn, x in [('crossEntropySeq', F.cross_entropy, w), ('nllSeq', F.nll_loss, lp)]:
            for red in ['mean', 'sum']:
                xx = x.clone().requires_grad_(True)
                loss = fn(xx.transpose(1, 2), y, ignore_index=ig, reduction=red)
                loss.backward()
                cases.append({'name': name, 'reduction': red, 'input': flat(x), 'shape': list(x.shape),
                              'target': [int(v) for v in y.reshape(-1).tolist()], 'ignoreIndex': ig,
                              'loss': r(loss.item()), 'grad': flat(xx.grad)})
    return cases


def optimizers():
    cases = []
    configs = [
        ('SGD', {'lr': 0.1}),
        ('SGD', {'lr': 0.05, 'momentum': 0.9}),
        ('SGD', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.3}),
        ('SGD', {'lr': 0.05, 'momentum': 0.8, 'nesterov': True, 'weight_decay': 0.01}),
        ('SGD', {'lr': 0.1, 'weight_decay': 0.1}),
        ('Adam', {'lr': 0.01}),
        ('Adam', {'lr': 0.02, 'betas': (0.8, 0.99), 'eps': 1e-6, 'weight_decay': 0.05}),
        ('AdamW', {'lr': 0.01}),
        ('AdamW', {'lr': 0.03, 'weight_decay': 0.2, 'betas': (0.85, 0.95)}),
    ]
    torch.manual_seed(2)
    for i, (kind, opts) in enumerate(configs):
        p0 = torch.randn(7)
        grads = [torch.randn(7) for _ in range(5)]
        p = p0.clone().requires_grad_(True)
        opt = getattr(torch.optim, kind)([p], **opts)
        traj = []
        for g in grads:
            opt.zero_grad()
            p.grad = g.clone()
            opt.step()
            traj.append(flat(p))
        cases.append({'name': f'{kind} #{i}', 'type': kind,
                      'options': {k: (list(v) if isinstance(v, tuple) else v) for k, v in opts.items()},
                      'init': flat(p0), 'grads': [flat(g) for g in grads], 'params': traj})
    return cases


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(here, '..', '..', 'src', 'engine', 'nn', 'coreParity.json'))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--out', default=default_out)
    args = ap.parse_args()
    data = {'torch': torch.__version__.split('+')[0], 'linearInit': linear_init(), 'losses': losses(), 'optimizers': optimizers()}
    with open(args.out, 'w') as f:
        json.dump(data, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
