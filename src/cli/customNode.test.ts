import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, saveProject } from '../engine/graph/load';
import type { Project } from '../engine/graph/schema';
import { registerEngine } from '../engine/register';
import { compileProject, dumpWeights } from '../engine/runtime/compile';
import { inferCustomSignature, setCustomCodeHost } from '../engine/runtime/customCode';
import { resolveDataset } from '../engine/train/datasets';
import { greedyDecode, sequenceAccuracy, translationTask } from '../engine/train/greedyDecode';
import { encodeToySource } from '../engine/train/toyTranslation';
import { trainGraph } from '../engine/train/train';
import { prepareTraining, splitData } from '../engine/train/trainingData';
import { createCustomSandbox, CUSTOM_TIMEOUT_MS, esbuildTranspile } from '../host/workers/customSandbox';
import { seq2seqWithCustomNode } from '../host/workers/customSeq2seq.test-support';
import { example, runCli, scratchFolder, stepInProcess, XOR_INPUTS, XOR_TARGETS } from './cliProcess.test-support';
import { main } from './cli';

/**
 * A project with a custom node runs, trains and exports from the command line, in the session's
 * sandbox: the same numbers as the engine with that sandbox installed, and the session's errors.
 */
const XOR = example('xor-mlp');
const { dir, write: file } = scratchFolder('bps-cli-custom-');
const sandbox = createCustomSandbox({ timeoutMs: CUSTOM_TIMEOUT_MS, transpile: esbuildTranspile });

const SWISH = "export default node({ inputs: ['x'], forward: ({ x }) => mul(x, sigmoid(x)) });";
// Line 3 divides by a string; line 4 never ends. Both keep swish's signature, as if saved by hand.
const THROWS = ["export default node({ inputs: ['x'],", '  forward: ({ x }) =>', "    div(x, 'two'),", '});'].join(
  '\n',
);
const ENDLESS = [
  "export default node({ inputs: ['x'],",
  '  forward: ({ x }) => {',
  '    for (;;) {}',
  '    return x;',
  '  },',
  '});',
].join('\n');

const cli = (...args: string[]) => runCli(args, 120_000);

/** The XOR example with its Tanh replaced by a custom swish node (code `code`, swish's signature). */
function swishProject(code = SWISH): Project {
  const r = loadProject(readFileSync(XOR, 'utf8'));
  if (!r.ok) throw new Error(r.error);
  const p = r.project;
  const signature = inferCustomSignature(sandbox.compile(SWISH), { x: [-1, 8] });
  p.graph.nodes = p.graph.nodes.map((n) =>
    n.id === 'act1' ? { ...n, type: 'Custom', params: { code, signature, error: null } } : n,
  );
  p.graph.edges = p.graph.edges.map((e) => (e.target === 'act1' ? { ...e, targetPort: 'x' } : e));
  return p;
}

beforeAll(() => {
  registerEngine();
  setCustomCodeHost(sandbox);
});
afterAll(() => setCustomCodeHost(undefined));

describe('backprop-studio CLI: custom nodes', () => {
  it('train: the epochs of the engine with the session sandbox installed, number for number', () => {
    const project = swishProject();
    const r = cli('train', file('swish.json', saveProject(project)), '--epochs', '2', '--seed', '3');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ final: true, epochs: 2 });

    const settings = { ...project.training, seed: 3, epochs: 2 };
    const model = compileProject(project, { seed: 3, dtype: 'float32', batchSize: settings.batchSize });
    const data = prepareTraining(model, resolveDataset(settings.dataset, 3), settings);
    if (typeof data === 'string') throw new Error(data);
    const epochs = [];
    for (const ev of trainGraph(model, data, settings)) if (ev.type === 'epoch') epochs.push(ev.report);
    expect(epochs).toHaveLength(2);
    expect(lines[0].train.loss).toBe(epochs[0]!.train.loss);
    expect(lines.slice(0, 2).map((l) => [l.train, l.dev])).toEqual(epochs.map((e) => [e.train, e.dev]));
  });

  it('run: the loss and the custom node’s output as a step of the session; a code error names the node and line', () => {
    const [x, y] = [XOR_INPUTS, XOR_TARGETS];
    const [xs, ys] = [file('x.json', x), file('y.json', y)];
    const out = join(dir, 'run.json');
    const r = cli(
      'run',
      file('swish-run.json', saveProject(swishProject())),
      '--input',
      xs,
      '--target',
      ys,
      '--seed',
      '7',
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(out, 'utf8'));

    const s = stepInProcess(swishProject().graph, x, y, { seed: 7 });
    expect(res.loss).toBe(s.loss());
    expect(res.edges.e3.activation.data).toEqual(Array.from(s.activation('e3')!.data));
    expect(res.edges.e2.gradient.data).toEqual(Array.from(s.gradient('e2')!.data));

    const bad = cli(
      'run',
      file('throws.json', saveProject(swishProject(THROWS))),
      '--input',
      xs,
      '--target',
      ys,
      '--out',
      out,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^backprop-studio: .*The custom node "act1": .*\(line 3\)$/m);
  });

  it('train: an endless loop in the code is stopped by the time limit, in one line and a non-zero exit', () => {
    const r = cli('train', file('endless.json', saveProject(swishProject(ENDLESS))), '--epochs', '1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `the code runs its forward pass for longer than the time limit (${CUSTOM_TIMEOUT_MS / 1000} s) and was stopped; is there a loop that never ends?`,
    );
    expect(r.stderr).toContain('The custom node "act1"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('weights writes the custom node’s parameters; translate decodes with them from --weights, as the engine does', () => {
    const project = seq2seqWithCustomNode(sandbox);
    const path = file('seq2seq-mix.json', saveProject(project));
    const initial = join(dir, 'mix-initial.json');
    const w = cli('weights', path, '--out', initial, '--seed', '5');
    expect(w.code, w.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(initial, 'utf8')) as {
      weights: Record<string, { shape: number[]; data: number[] }>;
    };
    const engine = dumpWeights(compileProject(project, { seed: 5 }));
    expect(JSON.parse(w.stdout)).toMatchObject({ seed: 5, parameters: Object.keys(engine).length });
    expect(saved.weights['mix.w']?.shape).toEqual([32, 32]);
    expect(saved.weights).toEqual(engine);

    // The same weights with mix.w four times larger (exact in float32): what translate reads.
    const changed = structuredClone(saved.weights);
    changed['mix.w']!.data = changed['mix.w']!.data.map((v) => v * 4);
    const weights = file('mix-changed.json', {
      format: 'backprop-studio-weights',
      version: 1,
      seed: 5,
      weights: changed,
    });
    const word = (file: string) => cli('translate', path, '--weights', file, '--source', 'abcdef');
    const [before, after] = [word(initial), word(weights)];
    expect(before.code, before.stderr).toBe(0);
    expect(after.code, after.stderr).toBe(0);
    const got = JSON.parse(after.stdout) as { tokens: number[]; attention: number[][] };
    expect(got.attention).not.toEqual(JSON.parse(before.stdout).attention);

    const model = compileProject(project, { seed: project.training.seed, weights: changed });
    const task = translationTask(project.training.dataset)!;
    const [d] = greedyDecode(model, task.layout, [encodeToySource('abcdef', task.letters, task.layout.source)]);
    expect(got.tokens).toEqual(d!.tokens);
    expect(got.attention).toEqual(d!.attention!.map((row) => row.slice(0, 6)));

    const split = cli('translate', path, '--weights', weights, '--split', 'dev');
    expect(split.code, split.stderr).toBe(0);
    const data = splitData(resolveDataset(project.training.dataset, project.training.seed), project.training);
    expect(JSON.parse(split.stdout)).toEqual({
      split: 'dev',
      n: data.split.dev.length,
      sequenceAccuracy: sequenceAccuracy(model, task.layout, data.dataset, data.split.dev),
    });
    // Five CLI processes (~20 s on an idle machine): a hang guard, not a speed target.
  }, 300_000);

  it('validate passes it, and export writes the custom node as code in every language', async () => {
    const project = file('swish-export.json', saveProject(swishProject()));
    const report: string[] = [];
    expect(await main(['validate', project], { stdout: (l) => report.push(l), stderr: (l) => report.push(l) })).toBe(0);
    expect(JSON.parse(report[0]!)).toMatchObject({ valid: true, errors: [] });
    for (const [lang, model] of [
      ['python', 'model.py'],
      ['ts', 'model.ts'],
      ['ts-scratch', 'model.ts'],
    ] as const) {
      const lines: string[] = [];
      const out = join(dir, `export-${lang}`);
      const code = await main(['export', project, '--lang', lang, '--out', out], {
        stdout: (l) => lines.push(l),
        stderr: (l) => lines.push(l),
      });
      expect(code, lines.join('\n')).toBe(0);
      const source = readFileSync(join(out, model), 'utf8');
      expect(source, lang).toMatch(/sigmoid/i);
    }
  });
});
