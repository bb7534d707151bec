import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CodeLang } from '../../engine/codegen/generate';
import { loadProject } from '../../engine/graph/load';
import { compileGraph } from '../../engine/runtime/compile';
import { resolveDataset } from '../../engine/train/datasets';
import { trainGraph } from '../../engine/train/train';
import { prepareTraining } from '../../engine/train/trainingData';
import type { Project } from '../../engine/graph/schema';
import { nodeDatasetFiles } from '../data/datasetFiles';
import { codeFolder } from './codeFolder';
import { PYTHON, torchSkipReason } from '../../engine/torchReference.test-support';

/**
 * Exported folders run as their README says, in a clean temporary folder with no registry: the
 * TypeScript folders (engine and from scratch) with `npm install && npm start` (an empty npm
 * cache, offline), the PyTorch folder with `python3 train.py`. All print the per-epoch train and
 * dev losses of the app's own training loop (the same data, split, optimizer, seed and batch order).
 */
const EXAMPLES = path.resolve(__dirname, '../../../resources/examples');
const hasTorch = torchSkipReason('the exported PyTorch folders’ training runs') === null;
const root = mkdtempSync(path.join(tmpdir(), 'bps-export-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const EPOCHS = 1;

function example(file: string): Project {
  const r = loadProject(readFileSync(path.join(EXAMPLES, file), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return r.project;
}

/** The app's per-epoch losses for the project (the engine's training loop, as the CLI and the app run it). */
function appLosses(project: Project): { trainLoss: number; devLoss: number | null }[] {
  const r = compileGraph(project.graph, { seed: project.training.seed });
  if (!r.ok) throw new Error(r.issues[0].message);
  const data = prepareTraining(
    r.model,
    resolveDataset(project.training.dataset, project.training.seed, nodeDatasetFiles()),
    project.training,
  );
  if (typeof data === 'string') throw new Error(data);
  const out: { trainLoss: number; devLoss: number | null }[] = [];
  const run = trainGraph(r.model, data, project.training, { epochs: EPOCHS });
  for (let s = run.next(); !s.done; s = run.next())
    if (s.value.type === 'epoch')
      out.push({ trainLoss: s.value.report.train.loss, devLoss: s.value.report.dev?.loss ?? null });
  return out;
}

async function writeFolder(project: Project, lang: CodeLang, name: string): Promise<string> {
  const dir = path.join(root, name);
  for (const f of await codeFolder(project, lang)) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.content);
  }
  return dir;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const epochsOf = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { trainLoss: number; devLoss: number | null });

function expectSameLosses(got: ReturnType<typeof epochsOf>, want: ReturnType<typeof appLosses>): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.trainLoss).toBeCloseTo(want[i].trainLoss, 5);
    if (want[i].devLoss === null) expect(g.devLoss).toBeNull();
    else expect(g.devLoss!).toBeCloseTo(want[i].devLoss!, 5);
  });
}

describe('exported folders run offline', () => {
  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'))) {
    it(`${file}: the TypeScript folder trains with npm install && npm start, from an empty npm cache, offline`, async () => {
      const project = example(file);
      const dir = await writeFolder(project, 'ts', `ts-${file}`);
      const env = {
        npm_config_cache: path.join(root, `cache-${file}`),
        npm_config_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
      };
      run('npm', ['install'], dir, env);
      expectSameLosses(epochsOf(run('npm', ['start', '--', String(EPOCHS)], dir, env)), appLosses(project));
      expect(existsSync(path.join(dir, 'weights.trained.json'))).toBe(true);
    });

    it(`${file}: the TypeScript (from scratch) folder trains with npm install && npm start, offline, as the app does`, async () => {
      const project = example(file);
      const dir = await writeFolder(project, 'ts-scratch', `scratch-${file}`);
      const env = {
        npm_config_cache: path.join(root, `cache-scratch-${file}`),
        npm_config_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
      };
      run('npm', ['install'], dir, env);
      // float64 from scratch against the app's float32 run: the same losses to float32's rounding.
      expectSameLosses(epochsOf(run('npm', ['start', '--', String(EPOCHS)], dir, env)), appLosses(project));
      const trained = JSON.parse(readFileSync(path.join(dir, 'weights.trained.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      const initial = JSON.parse(readFileSync(path.join(dir, 'weights.json'), 'utf8')) as Record<string, unknown>;
      // The trained weights keep weights.json's names and nested shapes, and training moved them.
      expect(Object.keys(trained).sort()).toEqual(Object.keys(initial).sort());
      const shape = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shape(v[0])] : []);
      for (const [k, v] of Object.entries(initial)) expect(shape(trained[k]), k).toEqual(shape(v));
      expect(trained).not.toEqual(initial);
    });

    it.skipIf(!hasTorch)(`${file}: the PyTorch folder trains with python3 train.py, as the app does`, async () => {
      const project = example(file);
      const dir = await writeFolder(project, 'python', `py-${file}`);
      expectSameLosses(epochsOf(run(PYTHON, ['train.py', String(EPOCHS)], dir)), appLosses(project));
    });
  }
});
