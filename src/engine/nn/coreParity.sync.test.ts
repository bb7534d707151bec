import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The committed coreParity.json must be what scripts/parity/engine_core.py produces today.
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
if (reason !== null) console.log(`Skipping the engine-core PyTorch parity regeneration: ${reason}.`);

function close(a: unknown, b: unknown, where: string): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) <= 1e-9 * (1 + Math.abs(b)) ? null : `${where}: ${a} vs ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${where}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const e = close(a[i], b[i], `${where}[${i}]`);
      if (e !== null) return e;
    }
    return null;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return `${where}: keys ${ka.join()} vs ${kb.join()}`;
    for (const k of ka) {
      const e = close((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${where}.${k}`);
      if (e !== null) return e;
    }
    return null;
  }
  return a === b ? null : `${where}: ${String(a)} vs ${String(b)}`;
}

describe('engine-core PyTorch references', () => {
  it.skipIf(reason !== null)('coreParity.json is in sync with scripts/parity/engine_core.py', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'core-parity-'));
    try {
      const out = path.join(dir, 'core.json');
      const r = spawnSync(python, [path.join(root, 'scripts', 'parity', 'engine_core.py'), '--out', out], {
        encoding: 'utf8',
        timeout: 300_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const fresh: unknown = JSON.parse(readFileSync(out, 'utf8'));
      const committed: unknown = JSON.parse(readFileSync(path.join(here, 'coreParity.json'), 'utf8'));
      expect(close(committed, fresh, 'coreParity')).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
