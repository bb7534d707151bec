"""Parity references for BatchNorm1d/2d in train and eval mode (see common.py for the recipe).

The affine parameters and running statistics are randomised after the default init, so that a
kernel that ignores them fails; `buffersAfter` holds the running statistics after the step.
"""
import torch
from common import run_case, randn32

CONFIGS = [
    ('BatchNorm1d', [6, 3]),
    ('BatchNorm1d', [4, 3, 5]),
    ('BatchNorm2d', [3, 2, 4, 5]),
]


def cases():
    out = []
    for i, (kind, shape) in enumerate(CONFIGS):
        for train in (True, False):
            torch.manual_seed(500 + 2 * i + int(train))
            cfg = dict(num_features=shape[1], eps=1e-5, momentum=0.1)
            m = getattr(torch.nn, kind)(**cfg)
            with torch.no_grad():
                m.weight.copy_(1 + 0.5 * torch.randn(shape[1]))
                m.bias.copy_(torch.randn(shape[1]))
                m.running_mean.copy_(torch.randn(shape[1]))
                m.running_var.copy_(0.5 + torch.rand(shape[1]))
            m.train(train)
            x = 2 * randn32(*shape) + 0.5
            cfg2 = dict(cfg, training=train)
            out.append(run_case('%s_%d_%s' % (kind.lower(), i, 'train' if train else 'eval'), kind, cfg2, m, {'input': x},
                                lambda m, a: {'output': m(a['input'])}, buffers=('running_mean', 'running_var')))
    return out
