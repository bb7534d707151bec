import { spawnSync } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject, saveProject } from '../engine/graph/load';
import { compileGraph, dumpWeights } from '../engine/runtime/compile';
import { MAX_CSV_BYTES } from '../host/data/datasetFiles';
import { example, runCli, scratchFolder, stepInProcess, XOR_INPUTS, XOR_TARGETS } from './cliProcess.test-support';
import { main } from './cli';
import { PROJECT_VERSION } from '../engine/graph/schema';

const XOR = example('xor-mlp');
const SPIRAL = example('spiral3-mlp');
const { dir, write: file } = scratchFolder('bps-cli-');
const cli = (...args: string[]) => runCli(args);

function xorProject() {
  const r = loadProject(readFileSync(XOR, 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return r.project;
}

/** A failure: non-zero exit, exactly one line on stderr, no stack trace. */
function expectOneLineFailure(r: ReturnType<typeof cli>, pattern: RegExp): void {
  expect(r.code, r.stderr).not.toBe(0);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^backprop-studio: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('backprop-studio CLI', () => {
  it('validate: an example is valid (exit 0)', () => {
    const r = cli('validate', XOR);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ valid: true, errors: [], warnings: [], loadIssues: [] });
  });

  it('validate: a graph with a cycle is invalid (exit 1), the errors attached to the nodes on it', () => {
    const p = xorProject();
    p.graph.edges = p.graph.edges.filter((e) => e.id !== 'e1');
    p.graph.edges.push({ id: 'loop', source: 'act1', sourcePort: 'out', target: 'fc1', targetPort: 'input' });
    p.graph.edges.push({ id: 'loop2', source: 'fc2', sourcePort: 'out', target: 'act1', targetPort: 'input' });
    p.graph.edges = p.graph.edges.filter((e) => e.id !== 'e2');
    const r = cli('validate', file('cycle.json', saveProject(p)));
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(false);
    expect(out.errors.map((e: { code: string; nodeId: string }) => [e.code, e.nodeId])).toEqual([
      ['cycle', 'fc2'],
      ['cycle', 'act1'],
      ['unreachable-loss', 'loss'],
    ]);
    expect(out.errors[0].message).toContain('Linear "fc2" → Tanh "act1" → Linear "fc2"');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  // About fifteen CLI processes in a row: on a loaded 2-core machine each takes seconds to start,
  // so this test's cap is larger than the suite's (a cap on a wait, not a measurement).
  it('refuses bad arguments and bad files with one line and a non-zero exit', { timeout: 300_000 }, () => {
    const noCommand = cli();
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain('usage: backprop-studio');
    expectOneLineFailure(cli('frobnicate'), /unknown command "frobnicate"/);
    expectOneLineFailure(cli('validate'), /validate: missing PROJECT/);
    expectOneLineFailure(cli('validate', XOR, SPIRAL), /unexpected argument/);
    expectOneLineFailure(cli('train', XOR, '--epochs', 'many'), /--epochs must be a whole number/);
    expectOneLineFailure(cli('train', XOR, '--speed', '3'), /unknown option --speed/);
    expectOneLineFailure(cli('run', XOR, '--out', join(dir, 'o.json')), /--input is required/);
    expectOneLineFailure(cli('weights', XOR), /--out is required/);
    expectOneLineFailure(cli('validate', join(dir, 'missing.json')), /no such file/);
    expectOneLineFailure(
      cli('validate', file('broken.json', '{"format": "backprop-studio", "version": 2, "graph": {')),
      /not valid JSON/,
    );
    expectOneLineFailure(
      cli('validate', file('newer.json', { format: 'backprop-studio', version: PROJECT_VERSION + 1 })),
      /saved by a newer Backprop Studio/,
    );
    expectOneLineFailure(
      cli('validate', file('deep.json', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`)),
      /nested more than 64 levels/,
    );
    expectOneLineFailure(
      cli(
        'run',
        XOR,
        '--input',
        file('x3.json', [[1, 2, 3]]),
        '--target',
        file('y1.json', [[1]]),
        '--out',
        join(dir, 'o.json'),
      ),
      /Input "x" expects values of shape N×2, but got 1×3/,
    );
    expectOneLineFailure(
      cli(
        'run',
        XOR,
        '--input',
        file('xnan.json', '[[1, "a"]]'),
        '--target',
        file('y1b.json', [[1]]),
        '--out',
        join(dir, 'o.json'),
      ),
      /contains string where a number belongs/,
    );
  });

  it('run: every edge activation and gradient by edge id, every parameter gradient by name, the loss — as computed in-process', () => {
    const [x, y] = [XOR_INPUTS, XOR_TARGETS];
    const out = join(dir, 'run.json');
    const r = cli('run', XOR, '--input', file('x.json', x), '--target', file('y.json', y), '--seed', '7', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(out, 'utf8'));
    expect(res).toMatchObject({ format: 'backprop-studio-run', version: 1, mode: 'train', seed: 7, batchSize: 4 });
    expect(Object.keys(res.edges)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
    expect(Object.keys(res.parameters)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(res.edges.e2.activation.shape).toEqual([4, 8]);
    expect(res.edges.e5.gradient).toBeNull();

    const s = stepInProcess(xorProject().graph, x, y, { seed: 7 });
    expect(res.loss).toBe(s.loss());
    expect(res.losses).toEqual({ loss: s.loss() });
    for (const id of ['e1', 'e2', 'e3', 'e4', 'e6']) {
      expect(res.edges[id].activation.data, id).toEqual(Array.from(s.activation(id)!.data));
    }
    for (const id of ['e2', 'e3', 'e4', 'e6'])
      expect(res.edges[id].gradient.data, id).toEqual(Array.from(s.gradient(id)!.data));
    for (const [name] of s.model.namedParameters())
      expect(res.parameters[name].gradient.data, name).toEqual(Array.from(s.parameterGradient(name)!.data));
  });

  it('run --dtype float64: the float64 engine computes every number (the float32 run differs in the last digits)', () => {
    const x = [
      [0.1, 0.7],
      [0.3, -0.2],
    ];
    const y = [[1], [0]];
    const args = ['run', XOR, '--input', file('x64.json', x), '--target', file('y64.json', y), '--seed', '3'];
    const o64 = join(dir, 'run64.json');
    const o32 = join(dir, 'run32.json');
    expect(cli(...args, '--dtype', 'float64', '--out', o64).code).toBe(0);
    expect(cli(...args, '--out', o32).code).toBe(0);
    const r64 = JSON.parse(readFileSync(o64, 'utf8'));
    const r32 = JSON.parse(readFileSync(o32, 'utf8'));
    expect(r64.dtype).toBe('float64');
    expect(r32.dtype).toBe('float32');
    const s = stepInProcess(xorProject().graph, x, y, { seed: 3, dtype: 'float64' });
    expect(r64.loss).toBe(s.loss());
    expect(r64.parameters['fc1.weight'].gradient.data).toEqual(Array.from(s.parameterGradient('fc1.weight')!.data));
    expect(r32.loss).not.toBe(r64.loss);
    expect(Math.abs(r32.loss - r64.loss)).toBeLessThan(1e-5);
    expectOneLineFailure(cli(...args, '--dtype', 'float16', '--out', o64), /--dtype must be float32 or float64/);
    const t = cli('train', XOR, '--epochs', '2', '--dtype', 'float64');
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout.trimEnd().split('\n').pop()!)).toMatchObject({ final: true, epochs: 2 });
  });

  it('weights: the initial weights for a seed, which run --weights reads back', () => {
    const w = join(dir, 'w.json');
    const r = cli('weights', XOR, '--out', w, '--seed', '11');
    expect(r.code, r.stderr).toBe(0);
    const dumped = JSON.parse(readFileSync(w, 'utf8'));
    const c = compileGraph(xorProject().graph, { seed: 11 });
    if (!c.ok) throw new Error('compile');
    expect(dumped).toEqual({ format: 'backprop-studio-weights', version: 1, seed: 11, weights: dumpWeights(c.model) });
    const [xs, ys] = [file('xw.json', [[1, 0]]), file('yw.json', [[1]])];
    const lossOfRun = (...flags: string[]) => {
      const out = join(dir, `run-${flags.join('-').replace(/\W/g, '')}.json`);
      const r = cli('run', XOR, '--input', xs, '--target', ys, ...flags, '--out', out);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(readFileSync(out, 'utf8')).loss;
    };
    expect(lossOfRun('--weights', w, '--seed', '0')).toBe(lossOfRun('--seed', '11'));
  });

  it('train: one JSON line per epoch, then the final metrics; same seed, same numbers', () => {
    const r = cli('train', SPIRAL, '--epochs', '3', '--seed', '2');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    lines.slice(0, 3).forEach((l, i) => {
      expect(l.epoch).toBe(i + 1);
      expect(l.train).toEqual({ loss: expect.any(Number), accuracy: expect.any(Number), n: 240 });
      expect(l.dev).toEqual({ loss: expect.any(Number), accuracy: expect.any(Number), n: 60 });
    });
    expect(lines[3]).toMatchObject({ final: true, epochs: 3, stoppedEarly: false, test: null });
    const again = cli('train', SPIRAL, '--epochs', '3', '--seed', '2')
      .stdout.trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(again.map((l) => l.train)).toEqual(lines.map((l) => l.train));
  });

  it('train: a CSV beside the project, its label column and task as the app reads them; bad settings in one line', () => {
    const p = xorProject();
    // The label first: read as "last" the labels would be the 0.25 steps and classification would refuse them.
    const rows = Array.from({ length: 20 }, (_, i) => `${i % 2},${(i % 4) * 0.25},${Math.floor(i / 4) * 0.25}`);
    file('labelled.csv', ['label,a,b', ...rows].join('\n'));
    const withCsv = {
      ...p,
      training: {
        ...p.training,
        dataset: { name: 'csv', params: { path: 'labelled.csv', labelColumn: 'first' } },
        split: { train: 1, dev: 0, test: 0 },
      },
    };
    const r = cli('train', file('csv-project.json', saveProject(withCsv)), '--epochs', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trimEnd().split('\n')[0]).train).toMatchObject({ n: 20 });
    const bad = { ...p, training: { ...p.training, dataset: { name: 'spiral', params: { classes: 4 } } } };
    expectOneLineFailure(
      cli('train', file('bad-spiral.json', saveProject(bad))),
      /needs "classes" to be 2 or 3, got 4\./,
    );
  });

  it('export: writes the folder of each language', () => {
    const expected: Record<string, string[]> = {
      ts: ['model.ts', 'train.ts', 'weights.json', 'engine.js', 'package.json', 'README.md'],
      'ts-scratch': ['model.ts', 'train.ts', 'train.js', 'weights.json', 'data.json', 'package.json', 'README.md'],
      python: ['model.py', 'train.py', 'weights.json', 'data.json', 'README.md'],
    };
    for (const lang of ['ts', 'ts-scratch', 'python']) {
      const out = join(dir, `export-${lang}`);
      const r = cli('export', XOR, '--lang', lang, '--out', out);
      expect(r.code, r.stderr).toBe(0);
      const files = (JSON.parse(r.stdout) as { files: string[] }).files;
      expect(files).toEqual(expect.arrayContaining(expected[lang]));
      for (const f of files) expect(readFileSync(join(out, f)).length, f).toBeGreaterThan(0);
    }
  });

  it('export: a bad language, a missing --out or file, and a graph that cannot be exported fail in one line', () => {
    expectOneLineFailure(cli('export', XOR, '--lang', 'go', '--out', dir), /unknown language "go"/);
    expectOneLineFailure(cli('export', XOR, '--lang', 'ts'), /--out is required/);
    expectOneLineFailure(cli('export', join(dir, 'missing.json'), '--lang', 'ts', '--out', dir), /no such file/);
    const p = xorProject();
    const bad = { ...p, graph: { ...p.graph, edges: p.graph.edges.filter((e) => e.id !== 'e3') } };
    expectOneLineFailure(
      cli('export', file('unwired.json', saveProject(bad)), '--lang', 'ts', '--out', join(dir, 'x')),
      /"fc2"/,
    );
  });
});

describe('a data set or project file that is not a regular file (a device, a FIFO) or is too large', () => {
  const fifo = join(dir, 'data.fifo');
  spawnSync('mkfifo', [fifo]);
  const withCsv = (csvPath: string) => {
    const p = xorProject();
    return { ...p, training: { ...p.training, dataset: { name: 'csv', params: { path: csvPath } } } };
  };
  /** A command line run in this process (no start-up cost): exit code and what it printed. */
  async function inProcess(...args: string[]) {
    const out = { stdout: '', stderr: '' };
    const code = await main(args, {
      stdout: (line: string) => void (out.stdout += `${line}\n`),
      stderr: (line: string) => void (out.stderr += `${line}\n`),
    });
    return { code, ...out };
  }
  const NOT_REGULAR = 'it is not a regular file (a device, a pipe or a socket)';

  it('validate reports /dev/zero or a FIFO as a CSV data set, without reading it', async () => {
    for (const csv of ['/dev/zero', fifo]) {
      const r = await inProcess('validate', file('csv-device.json', saveProject(withCsv(csv))));
      expect(r.code, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout).errors).toEqual([
        { severity: 'error', code: 'dataset', message: `Cannot read the CSV data set "${csv}": ${NOT_REGULAR}.` },
      ]);
    }
  });

  it('train refuses /dev/zero or a FIFO in one line instead of growing or hanging', async () => {
    const r = await inProcess('train', file('csv-zero.json', saveProject(withCsv('/dev/zero'))));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Cannot read the CSV data set "/dev/zero": ${NOT_REGULAR}`);
    // In a child process: a FIFO would block its reader for good.
    expectOneLineFailure(
      cli('train', file('csv-fifo.json', saveProject(withCsv(fifo)))),
      /Cannot read the CSV data set ".*": it is not a regular file \(a device, a pipe or a socket\)/,
    );
  });

  it('validate and train refuse a CSV over the size limit with its size and the limit, without reading it', async () => {
    // A sparse file: 257 MB long, no disk used.
    const huge = join(dir, 'huge.csv');
    writeFileSync(huge, 'a,b,label\n');
    truncateSync(huge, MAX_CSV_BYTES + 1024 * 1024);
    const tooLarge = `Cannot read the CSV data set "${huge}": it is 257 MB; the limit is 256 MB`;
    const project = file('csv-huge.json', saveProject(withCsv(huge)));
    const v = await inProcess('validate', project);
    expect(v.code, v.stderr).toBe(1);
    expect(JSON.parse(v.stdout).errors).toEqual([{ severity: 'error', code: 'dataset', message: `${tooLarge}.` }]);
    const t = await inProcess('train', project);
    expect(t.code).toBe(1);
    expect(t.stderr).toContain(tooLarge);
  });

  it('validate refuses a FIFO as the project file', async () => {
    const r = await inProcess('validate', fifo);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`backprop-studio: cannot read the project ${fifo}: ${NOT_REGULAR}`);
  });
});
