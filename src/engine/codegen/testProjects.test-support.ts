// The projects the code-export tests run through every language: the bundled examples, the
// runtime's test cases (together every executable node type), and random layer stacks from the
// property-test generator. Test support: imported by *.test.ts only, excluded from the build.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';
import { tensor } from '../tensor/create';
import { loadProject } from '../graph/load';
import type { Project } from '../graph/schema';
import { newProject } from '../graph/schema';
import { buildGraph } from '../runtime/randomGraphs.test-support';
import { CASES } from '../runtime/testCases.test-support';
import type { GraphModel } from '../runtime/compile';
import { resolveDataset } from '../train/datasets';
import { batchOf, splitData } from '../train/trainingData';
import { parseDigitsBytes } from '../train/digits';

export interface ExportCase {
  readonly name: string;
  readonly project: Project;
  /** A float64 batch for the graph's data nodes, by node id; undefined: one from the project's data set. */
  readonly batch?: () => Record<string, Tensor>;
  /** Compare in evaluation mode (dropout would draw differently otherwise). */
  readonly evalMode?: boolean;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The bundled digits, read the way the host reads them (host/data/datasetFiles.ts). */
export const loadDigits = () =>
  parseDigitsBytes(new Uint8Array(gunzipSync(readFileSync(path.join(ROOT, 'resources', 'datasets', 'digits.csv.gz')))));

export function exampleCases(): ExportCase[] {
  const dir = path.join(ROOT, 'resources', 'examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const r = loadProject(readFileSync(path.join(dir, f), 'utf8'));
      if (!r.ok) throw new Error(`${f}: ${r.error}`);
      return { name: `example ${f}`, project: r.project };
    });
}

export function runtimeCases(): ExportCase[] {
  return Object.entries(CASES).map(([name, c]) => ({
    name: `case ${name}`,
    project: { ...newProject(name), graph: c.graph },
    batch: c.batch,
    ...(c.evalMode ? { evalMode: true } : {}),
  }));
}

/** `count` random layer stacks (from a fixed seed, so a failure replays), each with a random batch of 2. */
export function randomCases(count: number, seed = 7): ExportCase[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, k) => {
    const graph = buildGraph(Array.from({ length: 40 }, () => rng.int(1000)));
    const shape = [2, ...(graph.nodes[0].params.shape as number[])];
    const n = shape.reduce((a, b) => a * b, 1);
    const x = Array.from({ length: n }, () => rng.uniform(-1, 1));
    const y = [rng.int(3), rng.int(3)];
    return {
      name: `random graph ${k}`,
      project: { ...newProject(`random ${k}`), graph },
      batch: () => ({ x: tensor(x, shape, { dtype: 'float64' }), y: tensor(y, [2], { dtype: 'float64' }) }),
      // BatchNorm refuses one sample per channel in training, as torch does.
      evalMode: true,
    };
  });
}

/** The float64 batch a case is compared on: its own, or the first samples of the project's training split. */
export function caseBatch(c: ExportCase, model: GraphModel, count = 8): Record<string, Tensor> {
  if (c.batch) return c.batch();
  const settings = c.project.training;
  const dataset = resolveDataset(settings.dataset, settings.seed, { digits: () => loadDigits() });
  const { dataset: data, split } = splitData(dataset, settings);
  return batchOf(model, data, split.train.slice(0, count));
}
