import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { regeneratedJson, torchSkipReason } from '../torchReference.test-support';

// The committed coreParity.json must be what scripts/parity/engine_core.py produces today.
// Runs only where /usr/bin/python3 can import torch; elsewhere it prints why it skipped.
const reason = torchSkipReason('the engine-core PyTorch parity regeneration');

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
    const fresh = regeneratedJson('engine_core.py', 300_000);
    const committed: unknown = JSON.parse(readFileSync(new URL('./coreParity.json', import.meta.url), 'utf8'));
    expect(close(committed, fresh, 'coreParity')).toBeNull();
  });
});
