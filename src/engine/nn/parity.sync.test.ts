import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runParityScript, torchSkipReason } from '../torchReference.test-support';
import { parseParityFile } from './parityCases.test-support';
import type { ParityTensor } from './parityCases.test-support';

// The committed PyTorch references must be what scripts/parity/generate.py produces today.
// Runs only where /usr/bin/python3 can import torch; elsewhere it says why it skipped.
const refDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '__parity__');
const skipReason = torchSkipReason('the PyTorch parity sync check');

function compareTensor(a: ParityTensor, b: ParityTensor, where: string, problems: string[]): void {
  if (JSON.stringify(a.shape) !== JSON.stringify(b.shape)) {
    problems.push(`${where}: shape [${a.shape.join(', ')}] vs [${b.shape.join(', ')}]`);
    return;
  }
  // Both sides are float64 results rounded to 9 significant digits: anything beyond a flipped
  // last digit (relative to the tensor's largest entry) is a real difference.
  let scale = 0;
  for (const v of b.data) scale = Math.max(scale, Math.abs(Number(v)));
  for (let i = 0; i < a.data.length; i++) {
    if (Math.abs(Number(a.data[i]) - Number(b.data[i])) > 1e-8 * scale + 1e-12) {
      problems.push(`${where}[${i}]: committed ${String(a.data[i])}, regenerated ${String(b.data[i])}`);
      return;
    }
  }
}

describe('PyTorch parity references', () => {
  it.skipIf(skipReason !== null)('are in sync with scripts/parity/generate.py', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'parity-'));
    try {
      runParityScript('generate.py', out, 300_000);
      const committed = readdirSync(refDir)
        .filter((f) => f.endsWith('.json'))
        .sort();
      expect(
        readdirSync(out)
          .filter((f) => f.endsWith('.json'))
          .sort(),
      ).toEqual(committed);
      const problems: string[] = [];
      for (const f of committed) {
        const a = parseParityFile(readFileSync(path.join(refDir, f), 'utf8'), f);
        const b = parseParityFile(readFileSync(path.join(out, f), 'utf8'), f);
        expect(
          a.cases.map((c) => c.name),
          f,
        ).toEqual(b.cases.map((c) => c.name));
        a.cases.forEach((ca, i) => {
          const cb = b.cases[i];
          expect(ca.config, `${f} ${ca.name}`).toEqual(cb.config);
          for (const group of ['params', 'buffers', 'inputs', 'outputs', 'buffersAfter', 'probes', 'grads'] as const) {
            expect(Object.keys(ca[group]).sort(), `${f} ${ca.name} ${group}`).toEqual(Object.keys(cb[group]).sort());
            for (const k of Object.keys(ca[group]))
              compareTensor(ca[group][k], cb[group][k], `${f} ${ca.name} ${group}.${k}`, problems);
          }
        });
      }
      expect(problems, 'regenerate with: /usr/bin/python3 scripts/parity/generate.py').toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
