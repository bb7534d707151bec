// The two seq2seq examples (resources/examples/seq2seq.json, seq2seq-attention.json): each trains
// through the CLI with its own seed and settings, and the CLI's translate scores the trained
// weights on the test words (sequence accuracy: every letter and the end token right) and decodes
// typed words with their attention matrix. The stated results are in gallery/index.json.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject, saveProject } from '../engine/graph/load';
import { main } from './cli';

const EXAMPLES = fileURLToPath(new URL('../../resources/examples', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bps-seq2seq-'));
/** Training one example is bounded work (12 epochs of 840 words); a loaded CI machine may take minutes. */
const BOUND = 600_000;

async function cli(args: string[]): Promise<string[]> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  expect(code, stderr.join('\n')).toBe(0);
  return stdout;
}

interface Trained {
  file: string;
  weights: string;
  /** The share of test tokens (letters and end token, padding ignored) predicted right with teacher forcing. */
  tokenAccuracy: number;
  /** The share of test words decoded greedily with every letter and the end token right. */
  sequenceAccuracy: number;
}

async function trainExample(id: string): Promise<Trained> {
  const r = loadProject(readFileSync(join(EXAMPLES, `${id}.json`), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  expect(r.issues, id).toEqual([]);
  const file = join(dir, `${id}.json`);
  const weights = join(dir, `${id}.weights.json`);
  writeFileSync(file, saveProject(r.project));
  const lines = await cli(['train', file, '--save-weights', weights]);
  const final = JSON.parse(lines[lines.length - 1]) as { final: true; test: { accuracy: number } };
  expect(final.final).toBe(true);
  const [scored] = await cli(['translate', file, '--weights', weights, '--split', 'test']);
  const { sequenceAccuracy } = JSON.parse(scored) as { sequenceAccuracy: number };
  return { file, weights, tokenAccuracy: final.test.accuracy, sequenceAccuracy };
}

describe('seq2seq examples: attention against a single hand-over state, trained through the CLI', () => {
  let plain: Trained;
  let attention: Trained;
  beforeAll(async () => {
    plain = await trainExample('seq2seq');
    attention = await trainExample('seq2seq-attention');
  }, BOUND);

  it('without attention: most letters right, but at most 60% of the test words reversed exactly', () => {
    expect(plain.tokenAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(plain.sequenceAccuracy).toBeLessThanOrEqual(0.6);
  });

  it('with attention: at least 80% of the test words, at least 25 points more than without', () => {
    expect(attention.sequenceAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(attention.sequenceAccuracy - plain.sequenceAccuracy).toBeGreaterThanOrEqual(0.25);
  });

  it('the attention of each output letter peaks on the source letter it copies (the anti-diagonal)', async () => {
    const words = ['abcdef', 'hgfa', 'cabde', 'dead', 'bhcgde', 'fab', 'ghbac', 'eachd'];
    let rows = 0;
    let peaked = 0;
    for (const word of words) {
      const [line] = await cli(['translate', attention.file, '--weights', attention.weights, '--source', word]);
      const d = JSON.parse(line) as { source: string; output: string; attention: number[][] };
      expect(d.source).toBe(word);
      expect(d.attention.length).toBe(d.output.length + 1); // one row per output step, the end token's too
      const m = word.length;
      for (let t = 0; t < Math.min(m, d.output.length); t++) {
        const row = d.attention[t];
        expect(row.length).toBe(m);
        rows++;
        if (row.indexOf(Math.max(...row)) === m - 1 - t) peaked++;
      }
    }
    expect(rows).toBeGreaterThanOrEqual(30);
    expect(peaked / rows).toBeGreaterThanOrEqual(0.8);
  });
});
