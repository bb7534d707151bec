"""Parity references for Embedding (see common.py for the recipe)."""
import torch
from common import run_case


def cases():
    out = []
    for i, padding_idx in enumerate([None, 0]):
        torch.manual_seed(400 + i)
        cfg = dict(num_embeddings=10, embedding_dim=4, padding_idx=padding_idx)
        m = torch.nn.Embedding(**cfg)
        idx = torch.tensor([[1, 2, 4, 5], [4, 0, 2, 9], [0, 0, 4, 7]], dtype=torch.int64)
        out.append(run_case('embedding_%d' % i, 'Embedding', cfg, m, {'input': idx}, lambda m, a: {'output': m(a['input'])}))
    return out
