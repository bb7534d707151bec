"""PyTorch references for the loss view (src/engine/runtime/lossView.ts).

    /usr/bin/python3 scripts/parity/loss_view.py [--out FILE]

For every loss the view draws: its value and its slope over a grid of margins (binary: the
margin m = s*w; multiclass: the class margin of the rows [m, 0] and [m, 0, ..., 0]; regression:
the residual), and for a small batch of scores and labels each example's loss and slope, all
computed by PyTorch in float64. The view's test compares the engine's numbers with these.
"""
import argparse
import json
import os

import torch
import torch.nn.functional as F

from common import r9


def grid(lo, hi, n=241):
    return torch.tensor([lo + (hi - lo) * i / (n - 1) for i in range(n)], dtype=torch.float64)


def elementwise(fn, w, y):
    """Per-element loss and d(loss_i)/d(w_i) of fn(w, y) (reduction none)."""
    w = w.clone().requires_grad_(True)
    loss = fn(w, y)
    loss.sum().backward()
    return [r9(v) for v in loss.tolist()], [r9(v) for v in w.grad.tolist()]


def rowwise(fn, scores, y):
    """Per-row class loss and d(loss_i)/d(w_{i,y_i})."""
    w = scores.clone().requires_grad_(True)
    loss = fn(w, y)
    loss.sum().backward()
    g = w.grad.gather(1, y[:, None])[:, 0]
    return [r9(v) for v in loss.tolist()], [r9(v) for v in g.tolist()]


# NOTE: the hinges are written with relu, whose gradient at the kink is 0 (torch.relu and the
# engine agree); torch.clamp(min=0) would pass a gradient of 1 there, and the grid hits the kink.
BINARY = {
    'MSELoss': lambda w, y: F.mse_loss(w, y, reduction='none'),
    'L1Loss': lambda w, y: F.l1_loss(w, y, reduction='none'),
    'BCEWithLogitsLoss': lambda w, y: F.binary_cross_entropy_with_logits(w, y, reduction='none'),
    'LogisticLoss': lambda w, y: F.softplus(-y * w),
    'HingeLoss': lambda w, y: F.relu(1 - y * w),
    'HingeLoss01': lambda w, y: F.relu(1 - (2 * y - 1) * w),
    'PerceptronLoss': lambda w, y: F.relu(-y * w),
}


def multiclass_hinge(margin):
    def fn(z, y):
        wy = z.gather(1, y[:, None])[:, 0]
        rival = z.scatter(1, y[:, None], float('-inf')).max(1).values
        return F.relu(margin - wy + rival)
    return fn


CLASSES = {
    'CrossEntropyLoss': lambda z, y: F.cross_entropy(z, y, reduction='none'),
    'NLLLoss': lambda z, y: F.nll_loss(z, y, reduction='none'),
    'MulticlassHingeLoss': multiclass_hinge(1.0),
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.normpath(os.path.join(here, '..', '..', 'src', 'engine', 'runtime', '__parity__', 'lossView.json'))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--out', default=default)
    args = ap.parse_args()
    torch.manual_seed(18)
    ones = lambda x: torch.ones_like(x)
    m = grid(-3, 3)
    curves = {name: elementwise(fn, m, ones(m)) for name, fn in BINARY.items()}
    # Regression's residual axis: the loss at w = r against y = 0.
    r = grid(-2, 2)
    residual = {name: elementwise(BINARY[name], r, torch.zeros_like(r)) for name in ('MSELoss', 'L1Loss')}
    cm = grid(-4, 4)
    two = torch.stack([cm, torch.zeros_like(cm)], 1)
    tied = torch.stack([cm, torch.zeros_like(cm), torch.zeros_like(cm)], 1)
    zero = torch.zeros(len(cm), dtype=torch.long)
    classes = {
        'CrossEntropyLoss/two': rowwise(CLASSES['CrossEntropyLoss'], two, zero),
        'CrossEntropyLoss/tied3': rowwise(CLASSES['CrossEntropyLoss'], tied, zero),
        'MulticlassHingeLoss/two': rowwise(CLASSES['MulticlassHingeLoss'], two, zero),
    }
    # A batch: scores in (-3, 3), labels per kind; for classes 3 scores per row.
    w = (torch.rand(12, dtype=torch.float64) * 6 - 3)
    pm1 = torch.randint(0, 2, (12,)).double() * 2 - 1
    zo = (pm1 + 1) / 2
    batches = []
    for name, fn in BINARY.items():
        for kind, y in (('pm1-labels', pm1), ('binary-labels', zo), ('real-targets', torch.rand(12, dtype=torch.float64))):
            if name in ('BCEWithLogitsLoss', 'HingeLoss01') and kind != 'binary-labels':
                continue
            if name in ('LogisticLoss', 'HingeLoss', 'PerceptronLoss') and kind != 'pm1-labels':
                continue
            loss, slope = elementwise(fn, w, y)
            batches.append({'type': name, 'kind': kind, 'scores': [r9(v) for v in w.tolist()],
                            'targets': [r9(v) for v in y.tolist()], 'loss': loss, 'slope': slope})
    z = torch.randn(10, 3, dtype=torch.float64) * 2
    yc = torch.randint(0, 3, (10,))
    for name, fn in CLASSES.items():
        zz = F.log_softmax(z, 1) if name == 'NLLLoss' else z
        loss, slope = rowwise(fn, zz, yc)
        batches.append({'type': name, 'kind': 'class-labels', 'scores': [r9(v) for v in zz.reshape(-1).tolist()],
                        'targets': yc.tolist(), 'loss': loss, 'slope': slope})
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump({'generator': 'scripts/parity/loss_view.py', 'torch': torch.__version__.split('+')[0],
                   'curves': curves, 'residual': residual, 'classes': classes, 'batches': batches}, f,
                  separators=(',', ':'))
        f.write('\n')


if __name__ == '__main__':
    main()
