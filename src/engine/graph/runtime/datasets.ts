import type { Dataset } from '../../train/dataset';
import { parseNumericCsv } from '../../train/csv';
import { bitSequences, blobs, circles, linearlySeparable, moons, noisySine, spirals, xor } from '../../train/synthetic';
import type { DatasetRef } from '../schema';

/** What only the host can provide: files (the engine never touches the file system). */
export interface DatasetFiles {
  /** The bundled 8×8 digits set. */
  digits?: () => Dataset;
  /** The text of a CSV file named in the project. */
  readText?: (path: string) => string;
}

type Params = DatasetRef['params'];

function num(p: Params, key: string, fallback: number, name: string): number {
  const v = p[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`The data set "${name}" needs a number for "${key}", got ${JSON.stringify(v)}.`);
  return v;
}

/**
 * The data set names a project's training settings may use, with their settings and defaults.
 * NOTE: the defaults are the ones the app's catalog (src/host/data/datasetCatalog) uses, so a
 * project means the same data in the app and on the command line.
 */
export const DATASET_NAMES: Readonly<Record<string, string>> = {
  xor: 'n (default 4), noise (0), seed',
  blobs: 'n (200), classes (2), std (0.5), spread (2), seed',
  linear: 'n (100), margin (0.1), seed — linearly separable points',
  circles: 'n (200), noise (0.05), factor (0.5), seed',
  moons: 'n (200), noise (0.1), seed',
  spiral: 'n (300), classes (3; 2 or 3), noise (0.2), seed',
  sine: 'n (100), noise (0.1), outliers (0), seed — regression',
  bits: 'n (500), length (8), task ("parity" or "counting"), seed — sequences',
  digits: 'the 8×8 handwritten digits (1,797 samples, 10 classes)',
  csv: 'path, labelColumn ("last", "first" or an index), task ("classification" or "regression")',
};

/** Other names projects use for the same sets (as the app accepts them). */
const ALIASES: Readonly<Record<string, string>> = { spirals: 'spiral', spiral2: 'spiral', spiral3: 'spiral', separable: 'linear', 'noisy-sine': 'sine' };

/** Generated sets are capped, so that a typo in `n` cannot exhaust memory. */
export const MAX_GENERATED_SAMPLES = 100_000;

/**
 * Builds the data set a project names. Generators take their seed from the settings, else the
 * project's seed. Throws an Error with a plain sentence for an unknown name or a bad setting.
 */
export function resolveDataset(ref: DatasetRef, seed: number, files: DatasetFiles = {}): Dataset {
  const p: Params = { ...ref.params };
  if (ref.name === 'spiral3') p.classes ??= 3;
  if (ref.name === 'spiral2') p.classes ??= 2;
  const name = ALIASES[ref.name] ?? ref.name;
  const s = num(p, 'seed', seed, name);
  for (const key of ['length', 'classes']) {
    const v = p[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1000)) throw new Error(`The data set parameter "${key}" must be a whole number from 1 to 1000, got ${JSON.stringify(v)}.`);
  }
  const n = (d: number) => {
    const v = num(p, 'n', d, name);
    if (!Number.isInteger(v) || v < 1 || v > MAX_GENERATED_SAMPLES) throw new Error(`The data set parameter "n" must be a whole number from 1 to ${MAX_GENERATED_SAMPLES}, got ${v}.`);
    return v;
  };
  switch (name) {
    case 'xor':
      return xor(n(4), { seed: s, noise: num(p, 'noise', 0, name) });
    case 'blobs':
      return blobs(n(200), { seed: s, classes: num(p, 'classes', 2, name), std: num(p, 'std', 0.5, name), spread: num(p, 'spread', 2, name) });
    case 'linear':
      return linearlySeparable(n(100), { seed: s, margin: num(p, 'margin', 0.1, name) });
    case 'circles':
      return circles(n(200), { seed: s, noise: num(p, 'noise', 0.05, name), factor: num(p, 'factor', 0.5, name) });
    case 'moons':
      return moons(n(200), { seed: s, noise: num(p, 'noise', 0.1, name) });
    case 'spiral': {
      const classes = num(p, 'classes', 3, name);
      if (classes !== 2 && classes !== 3) throw new Error(`The data set "spiral" has 2 or 3 classes, got ${classes}.`);
      return spirals(n(300), { seed: s, classes, noise: num(p, 'noise', 0.2, name) });
    }
    case 'sine':
      return noisySine(n(100), { seed: s, noise: num(p, 'noise', 0.1, name), outliers: num(p, 'outliers', 0, name) });
    case 'bits': {
      const task = p.task ?? 'parity';
      if (task !== 'parity' && task !== 'counting') throw new Error(`The data set "bits" has task "parity" or "counting", got ${JSON.stringify(task)}.`);
      return bitSequences(n(500), { seed: s, length: num(p, 'length', 8, name), task });
    }
    case 'digits':
      if (!files.digits) throw new Error('The digits data set is not available here.');
      return files.digits();
    case 'csv': {
      if (typeof p.path !== 'string' || p.path === '') throw new Error('The data set "csv" needs a "path".');
      if (!files.readText) throw new Error('CSV data sets cannot be read here.');
      const lc = p.labelColumn;
      const labelColumn = lc === 'first' || lc === 'last' ? lc : typeof lc === 'number' ? lc : 'last';
      const task = p.task === 'regression' ? 'regression' : 'classification';
      return parseNumericCsv(files.readText(p.path), { name: p.path, labelColumn, task });
    }
    default:
      throw new Error(`Unknown data set "${name}"; known ones are ${Object.keys(DATASET_NAMES).join(', ')}.`);
  }
}
