import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Tensor } from '../tensor/tensor';
import { tidy } from '../tensor/scope';
import { backward } from '../autograd/backward';
import { add, mul } from '../ops/arithmetic';
import { sum } from '../ops/reduce';
import type { ParityCase } from './parityCases.test-support';
import { parseParityFile, runParityCase } from './parityCases.test-support';
import { PARITY_BUILDERS } from './parityBuilders.test-support';

// Every layer against PyTorch 1.13 on the references in __parity__/ (regenerated and checked by
// parity.sync.test.ts): outputs, gradients of every input and parameter, running statistics.
// Error = max |ours − torch| / max(1, max |torch|); float32 within 1e-5, float64 within 1e-7
// (the references are float64 results on float32 weights, rounded to 9 significant digits).
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '__parity__');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

const lossOf = (outs: Record<string, Tensor>, probes: Record<string, Tensor>): Tensor =>
  Object.keys(probes)
    .map((k) => sum(mul(outs[k], probes[k])))
    .reduce((a, b) => add(a, b));

describe.each(files)('%s matches PyTorch', (f) => {
  const file = parseParityFile(readFileSync(path.join(dir, f), 'utf8'), f);
  for (const [dtype, tol] of [
    ['float32', 1e-5],
    ['float64', 1e-7],
  ] as const) {
    it.each(file.cases.map((c) => [c.name, c] as const))(`%s (${dtype})`, (_name, c) => {
      const build = PARITY_BUILDERS[c.layer];
      expect(build, `no parity builder for layer ${c.layer}`).toBeDefined();
      const { errors } = tidy(() => runParityCase(c, dtype, build, { backward, lossOf }));
      expect(Object.keys(errors).length).toBeGreaterThan(0);
      const bad = Object.entries(errors).filter(([, e]) => !(e <= tol));
      expect(bad, `errors above ${tol} in ${c.name}`).toEqual([]);
    });
  }
});

describe('the parity harness can fail', () => {
  it('flags a layer whose weights are off by 1e-3 in one element, or whose gradient is wrong', () => {
    const conv = parseParityFile(readFileSync(path.join(dir, 'conv.json'), 'utf8'), 'conv.json').cases[0];
    const nudged: ParityCase = structuredClone(conv);
    (nudged.params.weight.data as number[])[5] += 1e-3;
    const { errors } = tidy(() => runParityCase(nudged, 'float64', PARITY_BUILDERS[conv.layer], { backward, lossOf }));
    expect(errors['outputs.output']).toBeGreaterThan(1e-5);
    // Same forward, but a probe that disagrees with the one torch used: every gradient is off.
    const probed: ParityCase = structuredClone(conv);
    (probed.probes.output.data as number[])[0] += 0.5;
    const r = tidy(() => runParityCase(probed, 'float64', PARITY_BUILDERS[conv.layer], { backward, lossOf }));
    expect(r.errors['outputs.output']).toBeLessThan(1e-7);
    expect(r.errors['grads.weight']).toBeGreaterThan(1e-5);
    expect(r.errors['grads.input']).toBeGreaterThan(1e-5);
  });
});
