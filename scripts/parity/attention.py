"""Parity references for attention (see common.py for the recipe).

torch 1.13 has no functional scaled dot-product attention or additive attention, so both are
written out here as the textbook formulas; the engine's versions must agree with them.
nn.MultiheadAttention is used as is (biases randomised after its zero init so they matter).
Mask conventions follow torch: for the functional attentions a boolean mask is True where a
query MAY attend (torch 2.x scaled_dot_product_attention); for MultiheadAttention,
key_padding_mask and attn_mask are True where attention is NOT allowed.
"""
import math
import torch
from common import run_case, randn32


def sdpa(q, k, v, mask=None):
    s = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        s = s.masked_fill(~mask, float('-inf'))
    w = torch.softmax(s, dim=-1)
    return w @ v, w


class AdditiveAttention(torch.nn.Module):
    """Bahdanau attention: score(q, k) = w_v . tanh(W_q q + W_k k)."""

    def __init__(self, query_size, key_size, num_hiddens):
        super().__init__()
        self.W_q = torch.nn.Linear(query_size, num_hiddens, bias=False)
        self.W_k = torch.nn.Linear(key_size, num_hiddens, bias=False)
        self.w_v = torch.nn.Linear(num_hiddens, 1, bias=False)

    def forward(self, queries, keys, values, mask=None):
        features = torch.tanh(self.W_q(queries).unsqueeze(2) + self.W_k(keys).unsqueeze(1))
        scores = self.w_v(features).squeeze(-1)
        if mask is not None:
            scores = scores.masked_fill(~mask, float('-inf'))
        w = torch.softmax(scores, dim=-1)
        return w @ values, w


def some_mask(*shape):
    m = torch.rand(*shape) < 0.6
    m[..., 0] = True  # every query keeps at least one key
    return m


def cases():
    out = []
    torch.manual_seed(600)
    inputs = {'query': randn32(2, 3, 4), 'key': randn32(2, 5, 4), 'value': randn32(2, 5, 6)}
    out.append(run_case('sdpa_nomask', 'ScaledDotProductAttention', {}, None, inputs,
                        lambda m, a: dict(zip(('output', 'weights'), sdpa(a['query'], a['key'], a['value'])))))
    torch.manual_seed(601)
    inputs = {'query': randn32(2, 3, 4), 'key': randn32(2, 5, 4), 'value': randn32(2, 5, 6), 'mask': some_mask(2, 3, 5)}
    out.append(run_case('sdpa_mask', 'ScaledDotProductAttention', {}, None, inputs,
                        lambda m, a: dict(zip(('output', 'weights'), sdpa(a['query'], a['key'], a['value'], a['mask'])))))
    torch.manual_seed(602)
    inputs = {'query': randn32(2, 2, 4, 3), 'key': randn32(2, 2, 4, 3), 'value': randn32(2, 2, 4, 3),
              'mask': torch.tril(torch.ones(4, 4, dtype=torch.bool))}
    out.append(run_case('sdpa_causal_4d', 'ScaledDotProductAttention', {}, None, inputs,
                        lambda m, a: dict(zip(('output', 'weights'), sdpa(a['query'], a['key'], a['value'], a['mask'])))))

    for i, with_mask in enumerate([False, True]):
        torch.manual_seed(610 + i)
        cfg = dict(query_size=4, key_size=3, num_hiddens=5)
        m = AdditiveAttention(**cfg)
        inputs = {'query': randn32(2, 3, 4), 'key': randn32(2, 6, 3), 'value': randn32(2, 6, 2)}
        if with_mask:
            inputs['mask'] = some_mask(2, 1, 6)
        out.append(run_case('additive_%d' % i, 'AdditiveAttention', cfg, m, inputs,
                            lambda m, a: dict(zip(('output', 'weights'), m(a['query'], a['key'], a['value'], a.get('mask'))))))

    mha = [
        dict(embed_dim=8, num_heads=2, batch_first=False, self_attention=True, L=3, S=3, N=2),
        dict(embed_dim=8, num_heads=4, batch_first=False, self_attention=False, L=3, S=4, N=2,
             key_padding_mask=True, average_attn_weights=False),
        dict(embed_dim=6, num_heads=2, batch_first=True, self_attention=True, L=4, S=4, N=2, attn_mask=True),
        dict(embed_dim=4, num_heads=1, batch_first=True, self_attention=False, L=2, S=5, N=3, bias=False),
        dict(embed_dim=6, num_heads=3, batch_first=False, self_attention=False, L=3, S=4, N=0, key_padding_mask=True),
    ]
    for i, c in enumerate(mha):
        torch.manual_seed(620 + i)
        m = torch.nn.MultiheadAttention(c['embed_dim'], c['num_heads'], bias=c.get('bias', True), batch_first=c['batch_first'])
        if c.get('bias', True):
            with torch.no_grad():
                m.in_proj_bias.copy_(0.3 * torch.randn_like(m.in_proj_bias))
                m.out_proj.bias.copy_(0.3 * torch.randn_like(m.out_proj.bias))
        E, L, S, N = c['embed_dim'], c['L'], c['S'], c['N']
        # N = 0 marks an unbatched call: query [L, E], key/value [S, E], key_padding_mask [S].
        shape = (lambda T: [T, E]) if N == 0 else (lambda T: [N, T, E]) if c['batch_first'] else (lambda T: [T, N, E])
        if c['self_attention']:
            inputs = {'x': randn32(*shape(L))}
        else:
            inputs = {'query': randn32(*shape(L)), 'key': randn32(*shape(S)), 'value': randn32(*shape(S))}
        if c.get('key_padding_mask') and N == 0:
            kpm = torch.zeros(S, dtype=torch.bool)
            kpm[1] = True
            inputs['key_padding_mask'] = kpm
        elif c.get('key_padding_mask'):
            kpm = torch.zeros(N, S, dtype=torch.bool)
            kpm[0, -1] = True
            kpm[1, 1] = True
            inputs['key_padding_mask'] = kpm
        if c.get('attn_mask'):
            inputs['attn_mask'] = torch.triu(torch.ones(L, S, dtype=torch.bool), diagonal=1)

        def fwd(m, a, c=c):
            q = a['x'] if 'x' in a else a['query']
            k = a['x'] if 'x' in a else a['key']
            v = a['x'] if 'x' in a else a['value']
            y, w = m(q, k, v, key_padding_mask=a.get('key_padding_mask'), attn_mask=a.get('attn_mask'),
                     need_weights=True, average_attn_weights=c.get('average_attn_weights', True))
            return {'attn_output': y, 'attn_output_weights': w}

        cfg = {k: v for k, v in c.items() if k not in ('L', 'S', 'N')}
        out.append(run_case('mha_%d' % i, 'MultiheadAttention', cfg, m, inputs, fwd))
    return out
