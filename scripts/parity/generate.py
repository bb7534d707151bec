"""Regenerates the PyTorch parity references of the engine's layers.

    /usr/bin/python3 scripts/parity/generate.py [--out DIR] [--only conv,rnn,...]

Writes one JSON file per layer family (default: src/engine/nn/__parity__/). The engine's parity
tests read these files; the sync test runs this script into a temporary folder and checks that
the committed files still match what PyTorch computes.
"""
import argparse
import os
import sys

import torch

import attention
import batchnorm
import conv
import embedding
import plumbing
import rnn
from common import write

FAMILIES = {'conv': conv, 'rnn': rnn, 'embedding': embedding, 'attention': attention, 'batchnorm': batchnorm,
            'plumbing': plumbing}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(here, '..', '..', 'src', 'engine', 'nn', '__parity__'))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--out', default=default_out)
    ap.add_argument('--only', default=','.join(FAMILIES))
    args = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    for name in args.only.split(','):
        if name not in FAMILIES:
            sys.exit('unknown family %r; known: %s' % (name, ', '.join(FAMILIES)))
        write(os.path.join(args.out, name + '.json'), 'scripts/parity/generate.py', FAMILIES[name].cases())


if __name__ == '__main__':
    main()
