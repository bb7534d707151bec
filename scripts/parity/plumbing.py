"""Parity references for the tensor-plumbing nodes (see common.py for the recipe): Select,
Slice, Reduce (mean/sum/max, with ties for max), Transpose, Permute, elementwise Multiply,
Subtract and Divide with broadcasting, Softmax/LogSoftmax along a chosen dimension, and the
scalar Parameter. Dimensions are PyTorch's, batch included."""
import torch
from common import randn32, run_case


class ScalarParameter(torch.nn.Module):
    def __init__(self, value):
        super().__init__()
        self.value = torch.nn.Parameter(torch.tensor(value, dtype=torch.float32))


def cases():
    out = []
    torch.manual_seed(900)
    for i, (shape, dim, index) in enumerate([((3, 4, 5), 1, -1), ((3, 4, 5), 2, 0), ((2, 6), -1, 3)]):
        cfg = dict(dim=dim, index=index)
        out.append(run_case('select_%d' % i, 'Select', cfg, None, {'input': randn32(*shape)},
                            lambda m, a, d=dim, k=index: {'output': torch.select(a['input'], d, k)}))
    for i, (shape, dim, start, end, step) in enumerate([
            ((3, 6, 2), 1, 1, None, 1), ((3, 6, 2), 1, -4, -1, 2), ((2, 7), -1, 0, 100, 3), ((2, 5, 4), 2, -2, None, 1)]):
        cfg = dict(dim=dim, start=start, end=end, step=step)
        sl = slice(start, end, step)
        out.append(run_case('slice_%d' % i, 'Slice', cfg, None, {'input': randn32(*shape)},
                            lambda m, a, d=dim, s=sl: {'output': a['input'][(slice(None),) * (d % a['input'].dim()) + (s,)]}))
    for i, (op, dim, keepdim) in enumerate([('mean', 1, False), ('sum', -1, True), ('max', 1, False), ('max', 2, True)]):
        cfg = dict(op=op, dim=dim, keepdim=keepdim)
        if op == 'max':
            # Small integers: many ties, so the gradient shows which maximal entry torch picks.
            x = torch.randint(-2, 3, (3, 4, 5)).float()
            f = lambda m, a, d=dim, k=keepdim: {'output': a['input'].max(dim=d, keepdim=k).values}
        else:
            x = randn32(3, 4, 5)
            f = lambda m, a, o=op, d=dim, k=keepdim: {'output': getattr(a['input'], o)(dim=d, keepdim=k)}
        out.append(run_case('reduce_%d' % i, 'Reduce', cfg, None, {'input': x}, f))
    for i, (d0, d1) in enumerate([(1, 2), (-1, 1)]):
        out.append(run_case('transpose_%d' % i, 'Transpose', dict(dim0=d0, dim1=d1), None, {'input': randn32(2, 3, 4)},
                            lambda m, a, x=d0, y=d1: {'output': torch.transpose(a['input'], x, y)}))
    for i, dims in enumerate([[0, 2, 1], [0, 3, 1, 2]]):
        x = randn32(2, 3, 4) if len(dims) == 3 else randn32(2, 3, 4, 5)
        out.append(run_case('permute_%d' % i, 'Permute', dict(dims=dims), None, {'input': x},
                            lambda m, a, p=dims: {'output': a['input'].permute(*p)}))
    ops = {'Multiply': lambda a, b: a * b, 'Subtract': lambda a, b: a - b, 'Divide': lambda a, b: a / b}
    for name, f in ops.items():
        for i, (sa, sb) in enumerate([((3, 4), (3, 4)), ((3, 4), (1, 4)), ((2, 3, 4), (3, 1)), ((3, 4), ())]):
            b = torch.randn(sb, dtype=torch.float32)
            if name == 'Divide':
                b = b.sign() * (b.abs() + 0.5)
            out.append(run_case('%s_%d' % (name.lower(), i), name, {}, None, {'a': randn32(*sa), 'b': b},
                                lambda m, a, g=f: {'output': g(a['a'], a['b'])}))
    for name, f in [('Softmax', torch.softmax), ('LogSoftmax', torch.log_softmax)]:
        for i, dim in enumerate([-1, 1]):
            out.append(run_case('%s_%d' % (name.lower(), i), name, dict(dim=dim), None, {'input': randn32(2, 3, 4)},
                                lambda m, a, g=f, d=dim: {'output': g(a['input'], dim=d)}))
    for i, value in enumerate([-4.0, 0.3]):
        m = ScalarParameter(value)
        out.append(run_case('parameter_%d' % i, 'Parameter', dict(value=value), m, {'x': randn32(3, 2)},
                            lambda m, a: {'output': m.value * a['x'] + m.value}))
    return out
