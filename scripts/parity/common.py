"""Helpers shared by the PyTorch parity generators.

Every case is built the same way: seed torch, build the layer with PyTorch's default
initialisation in float32, draw float32 inputs, then run forward and backward in float64 on
exactly those float32 values (so the reference is as precise as the engine's float64 path and
within float32 rounding of its float32 path). The scalar whose gradients are stored is
    loss = sum_k sum(outputs[k] * probes[k])
with fixed random probe tensors, so every output element has its own weight in the gradient.
Numbers are rounded to 9 significant digits (exact for float32 values).
"""
import json
import torch


def r9(v):
    return float('%.9g' % v)


def dump(t):
    t = t.detach()
    if t.dtype == torch.bool:
        return {'shape': list(t.shape), 'data': [bool(v) for v in t.reshape(-1).tolist()]}
    if t.dtype in (torch.int64, torch.int32):
        return {'shape': list(t.shape), 'data': [int(v) for v in t.reshape(-1).tolist()]}
    return {'shape': list(t.shape), 'data': [r9(v) for v in t.double().reshape(-1).tolist()]}


def randn32(*shape):
    return torch.randn(*shape, dtype=torch.float32)


def run_case(name, layer, config, module, inputs, forward, buffers=()):
    """module: a float32 torch module (or None); inputs: dict name -> float32/int/bool tensor;
    forward(module64, inputs64) -> dict name -> float64 output tensor (in torch's return order)."""
    params = {} if module is None else {k: v.detach().clone() for k, v in module.named_parameters()}
    bufs = {} if module is None else {k: v.detach().clone() for k, v in module.named_buffers() if k in buffers}
    m64 = None if module is None else module.double()
    x64 = {}
    for k, v in inputs.items():
        if v.is_floating_point():
            x64[k] = v.double().requires_grad_(True)
        else:
            x64[k] = v
    outputs = forward(m64, x64)
    probes = {k: torch.randn(*o.shape, dtype=torch.float32).double() for k, o in outputs.items()}
    loss = sum((o * probes[k]).sum() for k, o in outputs.items())
    loss.backward()
    grads = {}
    for k, v in x64.items():
        if v.is_floating_point() and v.grad is not None:
            grads[k] = dump(v.grad)
    if m64 is not None:
        for k, p in m64.named_parameters():
            grads[k] = dump(p.grad if p.grad is not None else torch.zeros_like(p))
    after = {} if m64 is None else {k: dump(v) for k, v in m64.named_buffers() if k in buffers}
    return {
        'name': name,
        'layer': layer,
        'config': config,
        'params': {k: dump(v) for k, v in params.items()},
        'buffers': {k: dump(v) for k, v in bufs.items()},
        'inputs': {k: dump(v) for k, v in inputs.items()},
        'outputs': {k: dump(v) for k, v in outputs.items()},
        'buffersAfter': after,
        'probes': {k: dump(v) for k, v in probes.items()},
        'loss': r9(loss.item()),
        'grads': grads,
    }


def write(path, generator, cases):
    with open(path, 'w') as f:
        f.write('{"generator":%s,"torch":%s,"cases":[\n' % (json.dumps(generator), json.dumps(torch.__version__.split('+')[0])))
        f.write(',\n'.join(json.dumps(c, separators=(',', ':')) for c in cases))
        f.write('\n]}\n')
