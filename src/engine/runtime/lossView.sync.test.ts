import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { regeneratedJson, torchSkipReason } from '../torchReference.test-support';

// The committed __parity__/lossView.json must be what scripts/parity/loss_view.py writes today.
// Runs only where /usr/bin/python3 can import torch; elsewhere it prints why it skipped.
const reason = torchSkipReason("the loss view's PyTorch reference regeneration");

describe('the loss view’s PyTorch references', () => {
  it.skipIf(reason !== null)('are what scripts/parity/loss_view.py computes', () => {
    const committed: unknown = JSON.parse(readFileSync(new URL('./__parity__/lossView.json', import.meta.url), 'utf8'));
    expect(
      regeneratedJson('loss_view.py', 120_000),
      'regenerate with: /usr/bin/python3 scripts/parity/loss_view.py',
    ).toEqual(committed);
  });
});
