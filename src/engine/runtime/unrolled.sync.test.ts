import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The committed __parity__/unrolled.json must be what scripts/parity/unrolled.py writes today.
// Runs only where /usr/bin/python3 can import torch; elsewhere it prints why it skipped.
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const python = '/usr/bin/python3';

function torchMissing(): string | null {
  const r = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return `cannot run ${python}: ${r.error.message}`;
  if (r.status !== 0) return `${python} cannot import torch`;
  return null;
}

const reason = torchMissing();
if (reason !== null) console.log(`Skipping the unrolled view's PyTorch reference regeneration: ${reason}.`);

describe('the unrolled view’s PyTorch references', () => {
  it.skipIf(reason !== null)('are what scripts/parity/unrolled.py computes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'unrolled-'));
    try {
      const out = path.join(dir, 'unrolled.json');
      const r = spawnSync(python, [path.join(root, 'scripts', 'parity', 'unrolled.py'), '--out', out], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const fresh = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
      const committed = JSON.parse(readFileSync(path.join(here, '__parity__', 'unrolled.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(fresh, 'regenerate with: /usr/bin/python3 scripts/parity/unrolled.py').toEqual(committed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
