import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { regeneratedJson, torchSkipReason } from '../torchReference.test-support';

// The committed __parity__/unrolled.json must be what scripts/parity/unrolled.py writes today.
// Runs only where /usr/bin/python3 can import torch; elsewhere it prints why it skipped.
const reason = torchSkipReason("the unrolled view's PyTorch reference regeneration");

describe('the unrolled view’s PyTorch references', () => {
  it.skipIf(reason !== null)('are what scripts/parity/unrolled.py computes', () => {
    const committed: unknown = JSON.parse(readFileSync(new URL('./__parity__/unrolled.json', import.meta.url), 'utf8'));
    expect(
      regeneratedJson('unrolled.py', 120_000),
      'regenerate with: /usr/bin/python3 scripts/parity/unrolled.py',
    ).toEqual(committed);
  });
});
