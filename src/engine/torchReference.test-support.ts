// PyTorch 1.13 is the numerical reference (/usr/bin/python3). The tests that run it, or that
// regenerate its committed references with scripts/parity/*.py, skip where it cannot import torch,
// and say why once per test file.
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const PYTHON = '/usr/bin/python3';
const PARITY_SCRIPTS = fileURLToPath(new URL('../../scripts/parity/', import.meta.url));

/**
 * Null where PYTHON imports torch; else why not, printed as "Skipping <what>: <reason>.". Hand
 * the answer to `it.skipIf(reason !== null)`.
 */
export function torchSkipReason(what: string): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 });
  const reason = r.error
    ? `cannot run ${PYTHON}: ${r.error.message}`
    : r.status !== 0
      ? `${PYTHON} cannot import torch`
      : null;
  if (reason !== null) console.log(`Skipping ${what}: ${reason}.`);
  return reason;
}

/** Runs scripts/parity/`script` with `--out out` (a file or a folder, as the script writes) and expects it to succeed. */
export function runParityScript(script: string, out: string, timeoutMs: number): SpawnSyncReturns<string> {
  const r = spawnSync(PYTHON, [path.join(PARITY_SCRIPTS, script), '--out', out], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  expect(r.status, r.stderr).toBe(0);
  return r;
}

/** The JSON that scripts/parity/`script` writes today, regenerated in a temporary folder. */
export function regeneratedJson(script: string, timeoutMs: number): unknown {
  const dir = mkdtempSync(path.join(tmpdir(), 'parity-'));
  try {
    const out = path.join(dir, 'out.json');
    runParityScript(script, out, timeoutMs);
    return JSON.parse(readFileSync(out, 'utf8')) as unknown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
