// The data sets a project can name (`training.dataset`), resolved to engine Datasets.
import { existsSync, readFileSync } from 'node:fs';
// NOTE: not engine/train/digits.node.ts: tsx resolves an extensionless "digits.node" as a native addon.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '../../engine/train/dataset';
import { parseNumericCsv } from '../../engine/train/csv';
import { parseDigitsCsv } from '../../engine/train/digits';
import { gunzipSync } from 'node:zlib';
import {
  blobs,
  bitSequences,
  circles,
  linearlySeparable,
  moons,
  noisySine,
  spirals,
  xor,
} from '../../engine/train/synthetic';
import type { DatasetRef } from '../../engine/graph/schema';

export interface DatasetInfo {
  name: string;
  title: string;
  description: string;
  task: 'classification' | 'regression';
  /** Parameters the generator reads from `training.dataset.params`, with their defaults. */
  params: Record<string, number | string | boolean>;
}

type P = Record<string, number | string | boolean>;
const num = (p: P, k: string, d: number): number => (typeof p[k] === 'number' ? (p[k] as number) : d);

/** Generated sets are capped: a typo of `n` must not exhaust the memory of the process. */
export const MAX_GENERATED_SAMPLES = 100_000;

interface Entry extends DatasetInfo {
  make(params: P, seed: number): Dataset;
}

const ENTRIES: Entry[] = [
  {
    name: 'xor',
    title: 'XOR',
    description: 'Points at the four corners (±1, ±1), label 1 where the signs differ; 4 noiseless points by default.',
    task: 'classification',
    params: { n: 4, noise: 0 },
    make: (p, seed) => xor(num(p, 'n', 4), { seed, noise: num(p, 'noise', 0) }),
  },
  {
    name: 'linear',
    title: 'Linearly separable points',
    description: 'Two classes on either side of a line, with a margin.',
    task: 'classification',
    params: { n: 100, margin: 0.1 },
    make: (p, seed) => linearlySeparable(num(p, 'n', 100), { seed, margin: num(p, 'margin', 0.1) }),
  },
  {
    name: 'blobs',
    title: 'Gaussian blobs',
    description: 'Clusters of points, one per class.',
    task: 'classification',
    params: { n: 200, classes: 2 },
    make: (p, seed) => blobs(num(p, 'n', 200), { seed, classes: num(p, 'classes', 2) }),
  },
  {
    name: 'circles',
    title: 'Circles',
    description: 'A ring around a disc: not linearly separable.',
    task: 'classification',
    params: { n: 200, noise: 0.05 },
    make: (p, seed) => circles(num(p, 'n', 200), { seed, noise: num(p, 'noise', 0.05) }),
  },
  {
    name: 'moons',
    title: 'Two moons',
    description: 'Two interleaved half circles.',
    task: 'classification',
    params: { n: 200, noise: 0.1 },
    make: (p, seed) => moons(num(p, 'n', 200), { seed, noise: num(p, 'noise', 0.1) }),
  },
  {
    name: 'spiral',
    title: 'Spirals',
    description: 'Two or three interleaved spiral arms.',
    task: 'classification',
    params: { n: 300, classes: 3, noise: 0.2 },
    make: (p, seed) =>
      spirals(num(p, 'n', 300), { seed, classes: num(p, 'classes', 3) === 2 ? 2 : 3, noise: num(p, 'noise', 0.2) }),
  },
  {
    name: 'sine',
    title: 'Noisy sine',
    description: 'Regression of sin(x) with noise and optional outliers.',
    task: 'regression',
    params: { n: 100, noise: 0.1, outliers: 0 },
    make: (p, seed) =>
      noisySine(num(p, 'n', 100), { seed, noise: num(p, 'noise', 0.1), outliers: num(p, 'outliers', 0) }),
  },
  {
    name: 'bits',
    title: 'Bit sequences',
    description: 'Sequences of bits labelled by their parity.',
    task: 'classification',
    params: { n: 500, length: 8 },
    make: (p, seed) => bitSequences(num(p, 'n', 500), { seed, length: num(p, 'length', 8) }),
  },
  {
    name: 'digits',
    title: 'Handwritten digits (8×8)',
    description: '1,797 images of digits 0–9, 8×8 pixels with values 0–16 (UCI, via scikit-learn).',
    task: 'classification',
    params: {},
    make: () => parseDigitsCsv(gunzipSync(readFileSync(digitsPath())).toString('utf8')),
  },
];

/** Names some projects use for the same sets. */
const ALIASES: Record<string, string> = {
  spirals: 'spiral',
  spiral2: 'spiral',
  spiral3: 'spiral',
  separable: 'linear',
  'noisy-sine': 'sine',
};

function resourcesFile(...parts: string[]): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const f = path.join(dir, 'resources', ...parts);
    if (existsSync(f)) return f;
    dir = path.dirname(dir);
  }
  return null;
}

function digitsPath(): string {
  const f = resourcesFile('datasets', 'digits.csv.gz');
  if (f === null)
    throw new Error('The digits data set (resources/datasets/digits.csv.gz) is missing from this installation.');
  return f;
}

export function listDatasets(): DatasetInfo[] {
  return ENTRIES.map(({ name, title, description, task, params }) => ({ name, title, description, task, params }));
}

/**
 * The data set a project names. `csv` reads `params.path` (a numeric CSV; see datasets.importCsv);
 * errors name the line and column at fault.
 */
export function resolveDataset(ref: DatasetRef, seed: number): Dataset {
  if (ref.name === 'csv') {
    const file = ref.params.path;
    if (typeof file !== 'string' || file === '')
      throw new Error('The CSV data set needs a "path" parameter (the file to read).');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`Cannot read the CSV data set "${file}": ${(err as Error).message}`, { cause: err });
    }
    const task = ref.params.task === 'regression' ? 'regression' : 'classification';
    return parseNumericCsv(text, { name: path.basename(file), task });
  }
  const name = ALIASES[ref.name] ?? ref.name;
  const entry = ENTRIES.find((e) => e.name === name);
  if (entry === undefined) {
    throw new Error(
      `Unknown data set "${ref.name}"; the bundled ones are ${ENTRIES.map((e) => e.name).join(', ')}, or "csv" with a path.`,
    );
  }
  const params = { ...ref.params };
  for (const key of ['n', 'length', 'classes']) {
    const v = params[key];
    if (v === undefined) continue;
    const max = key === 'n' ? MAX_GENERATED_SAMPLES : 1000;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
      throw new Error(
        `The data set parameter "${key}" must be a whole number from 1 to ${max}, got ${JSON.stringify(v)}.`,
      );
    }
  }
  if (ref.name === 'spiral3') params.classes ??= 3;
  if (ref.name === 'spiral2') params.classes ??= 2;
  return entry.make(params, typeof params.seed === 'number' ? params.seed : seed);
}
