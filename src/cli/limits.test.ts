// Bounded memory for every input of the CLI: a declared layer too large for the machine is refused
// with "this network needs N GB; the limit is M" before anything is allocated (it used to be
// allocated until the process was OOM-killed, or fail with "Invalid typed array length"), at the
// training batch size too; `run` streams its output instead of dying on V8's longest string; and
// out-of-range sizes and device files are named as such. Run in-process: nothing here can block.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PROJECT_FORMAT, PROJECT_VERSION, defaultTrainingSettings } from '../engine/graph/schema';
import { e, n } from '../engine/graph/testGraphs.test-support';
import { main } from './cli';
import { streamJson } from './io';

const dir = mkdtempSync(join(tmpdir(), 'bps-cli-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await main(args, {
    stdout: (line: string) => void (out.stdout += `${line}\n`),
    stderr: (line: string) => void (out.stderr += `${line}\n`),
  });
  return { code, ...out };
}

/** Input [inputs] → Linear(outputs) → MSE against a target of the same width, trained on `linear` data. */
function wideProject(name: string, inputs: number, outputs: number, batchSize = 1): string {
  const p = join(dir, `${name}.json`);
  const project = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    name,
    description: '',
    graph: {
      nodes: [
        n('x', 'Input', { shape: [inputs] }),
        n('fc', 'Linear', { out_features: outputs }),
        n('y', 'Target', { kind: 'real-targets', shape: [outputs] }),
        n('mse', 'MSELoss'),
      ],
      edges: [e('x', 'fc'), e('fc', 'mse'), e('y', 'mse', 'target')],
    },
    training: { ...defaultTrainingSettings(), batchSize, dataset: { name: 'linear', params: {} } },
  };
  writeFileSync(p, JSON.stringify(project));
  return p;
}

describe('huge declared layers are refused before allocation (finding 4)', () => {
  it('a 2^31-parameter Linear: validate, train and run say what it needs and the limit, in one line', async () => {
    const p = wideProject('linear-2e31', 1 << 11, 1 << 20);
    const input = join(dir, 'x-2e31.json');
    writeFileSync(input, JSON.stringify([[0]]));
    const v = await cli('validate', p);
    expect(v.code).toBe(1);
    const need = /This network needs 32\.0 GB; the limit is 2\.0 GB \(2,148,532,224 parameters/;
    expect(JSON.parse(v.stdout).errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringMatching(need),
    ]);
    for (const args of [
      ['train', p],
      ['run', p, '--input', input, '--out', join(dir, 'never.json')],
    ]) {
      const r = await cli(...args);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr.trim().split('\n'), args[0]).toEqual([expect.stringMatching(need)]);
    }
  });

  it('above 2^32 elements: the same sentence, never "Invalid typed array length"', async () => {
    const p = wideProject('linear-2e33', 1 << 13, 1 << 20);
    for (const command of ['validate', 'train']) {
      const r = await cli(command, p);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/This network needs 128 GB; the limit is 2\.0 GB/);
      expect(r.stderr).not.toMatch(/Invalid typed array length/);
    }
  });

  it('refused at the training batch size when one sample fits', async () => {
    // 2^18 outputs and targets: 8 MB of weights' state, 4 MB of activations and gradients a sample.
    const p = wideProject('batch', 1, 1 << 18, 1024);
    for (const command of ['validate', 'train']) {
      const r = await cli(command, p);
      expect(r.code, command).toBe(1);
      expect(r.stderr, command).toMatch(
        /This network needs 4\.0 GB; the limit is 2\.0 GB \(.*batch 1,024\)\. Use smaller layers or a smaller batch\./,
      );
    }
  });
});

describe("run's output is streamed, never one string", () => {
  it('serialises exactly as JSON.stringify does, in bounded pieces', () => {
    const replacer = (_k: string, x: unknown) =>
      typeof x === 'number' && !Number.isFinite(x) ? (Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity') : x;
    const streamed = (v: unknown): string => {
      let text = '';
      streamJson(v, (chunk) => void (text += chunk));
      return text;
    };
    for (const v of [
      { a: 1, b: [1, 2, { c: null }], d: 'x"y\u2028', e: undefined, f: NaN, g: [Infinity, -Infinity, undefined] },
      'text',
      null,
      [],
      {},
      [[[]], { '': 0 }],
    ])
      expect(streamed(v)).toBe(JSON.stringify(v, replacer));
    // Typed arrays are written as the arrays of their numbers.
    expect(streamed([new Float32Array([0.5, -1.25]), new Float64Array([1e-300, NaN])])).toBe(
      '[[0.5,-1.25],[1e-300,"NaN"]]',
    );
    // A long array arrives in pieces of about a million characters, never whole.
    const sizes: number[] = [];
    streamJson({ data: new Float64Array(300_000).fill(0.1234567891234) }, (chunk) => void sizes.push(chunk.length));
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.max(...sizes)).toBeLessThan((1 << 20) + 64);
  });

  it('run never builds its output as one string: with strings capped at 2 M characters, 2^16 outputs are written whole', async () => {
    // V8 refuses strings past about 512 M characters ("Invalid string length"), which a layer with
    // 2^20 outputs and its gradients can pass. Crossing that for real would take gigabytes, so the
    // limit is lowered instead: JSON.stringify fails here past 2 M characters, and the ~4 M
    // characters of this run's output must arrive in pieces. Writing the output with one
    // JSON.stringify (as run did) fails this test.
    const CAP = 2_000_000;
    const stringify = JSON.stringify;
    const capped = vi.spyOn(JSON, 'stringify').mockImplementation(((...args: Parameters<typeof stringify>) => {
      const text = stringify(...args);
      if (typeof text === 'string' && text.length > CAP) throw new RangeError('Invalid string length');
      return text;
    }) as typeof JSON.stringify);
    // Input [1] → Linear(2^16) → ReLU: about 260,000 numbers.
    const p = join(dir, 'outputs-2e16.json');
    const input = join(dir, 'x1.json');
    const outFile = join(dir, 'out-2e16.json');
    try {
      writeFileSync(
        p,
        stringify({
          format: PROJECT_FORMAT,
          version: PROJECT_VERSION,
          name: 'wide',
          description: '',
          graph: {
            nodes: [n('x', 'Input', { shape: [1] }), n('fc', 'Linear', { out_features: 1 << 16 }), n('r', 'ReLU')],
            edges: [e('x', 'fc'), e('fc', 'r', 'input', 'out', 'e2')],
          },
        }),
      );
      writeFileSync(input, stringify([[0.5]]));
      const r = await cli('run', p, '--input', input, '--out', outFile);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      capped.mockRestore();
    }
    const text = readFileSync(outFile, 'utf8');
    expect(text.length).toBeGreaterThan(CAP);
    const out = JSON.parse(text) as {
      edges: Record<string, { activation: { shape: number[]; data: number[] } }>;
      parameters: Record<string, { value: { data: number[] }; gradient: null }>;
    };
    expect(out.edges['e2'].activation.shape).toEqual([1, 1 << 16]);
    expect(out.edges['e2'].activation.data).toHaveLength(1 << 16);
    expect(out.parameters['fc.weight'].value.data).toHaveLength(1 << 16);
    expect(out.parameters['fc.bias'].value.data).toHaveLength(1 << 16);
  });
});

describe('messages name the real reason (finding 9)', () => {
  it('out_features past its range names its own limit, not the largest safe integer', async () => {
    const p = wideProject('too-wide', 2, (1 << 20) + 1);
    const r = await cli('validate', p);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('must be at most 1,048,576; got 1048577');
    expect(r.stderr).not.toContain('9007199254740991');
  });

  it('/dev/zero as the project is not "a folder"', async () => {
    const r = await cli('validate', '/dev/zero');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'backprop-studio: cannot read the project /dev/zero: it is not a regular file (a device, a pipe or a socket)',
    );
  });
});
