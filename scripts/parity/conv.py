"""Parity references for Conv2d, MaxPool2d and AvgPool2d (see common.py for the recipe)."""
import torch
from common import run_case, randn32

CONV = [
    dict(in_channels=3, out_channels=4, kernel_size=3, stride=1, padding=0, dilation=1, bias=True, x=[2, 3, 7, 8]),
    dict(in_channels=2, out_channels=3, kernel_size=3, stride=2, padding=1, dilation=1, bias=True, x=[2, 2, 8, 7]),
    dict(in_channels=2, out_channels=4, kernel_size=[3, 2], stride=[2, 1], padding=[1, 0], dilation=[2, 1], bias=True, x=[1, 2, 9, 6]),
    dict(in_channels=3, out_channels=2, kernel_size=1, stride=1, padding=0, dilation=1, bias=False, x=[2, 3, 4, 5]),
    dict(in_channels=1, out_channels=8, kernel_size=3, stride=1, padding=1, dilation=2, bias=True, x=[2, 1, 6, 6]),
]

POOL = [
    dict(kernel_size=2, stride=None, padding=0, x=[2, 3, 6, 6]),
    dict(kernel_size=3, stride=2, padding=1, x=[2, 2, 7, 8]),
    dict(kernel_size=[3, 2], stride=[1, 2], padding=[1, 1], x=[1, 2, 5, 6]),
]


def cases():
    out = []
    for i, c in enumerate(CONV):
        torch.manual_seed(100 + i)
        cfg = {k: v for k, v in c.items() if k != 'x'}
        m = torch.nn.Conv2d(**cfg)
        x = randn32(*c['x'])
        out.append(run_case('conv2d_%d' % i, 'Conv2d', cfg, m, {'input': x}, lambda m, a: {'output': m(a['input'])}))
    for i, c in enumerate(POOL):
        cfg = {k: v for k, v in c.items() if k != 'x'}
        torch.manual_seed(200 + i)
        m = torch.nn.MaxPool2d(**cfg)
        x = randn32(*c['x'])
        out.append(run_case('maxpool2d_%d' % i, 'MaxPool2d', cfg, m, {'input': x}, lambda m, a: {'output': m(a['input'])}))
        for include in (True, False):
            cfg2 = dict(cfg, count_include_pad=include)
            torch.manual_seed(300 + i)
            m = torch.nn.AvgPool2d(**cfg2)
            x = randn32(*c['x'])
            out.append(run_case('avgpool2d_%d_%s' % (i, 'incl' if include else 'excl'), 'AvgPool2d', cfg2, m, {'input': x},
                                lambda m, a: {'output': m(a['input'])}))
    return out
