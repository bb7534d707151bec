// Resolves a project's `training.dataset` to an engine Dataset, for the app (host) and the CLI
// alike: the bundled sets from the catalog (datasetCatalog.ts), or a CSV file the caller reads.
import type { Dataset } from './dataset';
import { parseNumericCsv } from './csv';
import type { DatasetRef } from '../graph/schema';
import { ALIASES, CATALOG } from './datasetCatalog';
import type { CatalogEntry, DatasetFiles, DatasetInfo, DatasetParams, DatasetParamValue } from './datasetCatalog';

/** Generated sets are capped, so that a typo in `n` cannot exhaust memory. */
export const MAX_GENERATED_SAMPLES = 100_000;

/** Whole-number parameters and their largest value. */
const WHOLE: Readonly<Record<string, number>> = { n: MAX_GENERATED_SAMPLES, length: 1000, classes: 1000 };

const CSV_SETTINGS = 'path, labelColumn ("last", "first" or an index), task ("classification" or "regression")';

const show = (v: unknown) => JSON.stringify(v);

/** The bundled sets (not `csv`, which datasets.importCsv provides), in the app's order. */
export function listDatasets(): (DatasetInfo & { choices?: Record<string, DatasetParamValue[]> })[] {
  return CATALOG.map(({ name, title, description, task, params, choices }) => ({
    name,
    title,
    description,
    task,
    params: { ...params },
    ...(choices ? { choices: Object.fromEntries(Object.entries(choices).map(([k, v]) => [k, [...v]])) } : {}),
  }));
}

/**
 * The data set names a project's training settings may use, with their settings and defaults
 * (generated from the catalog, so it cannot disagree with it).
 */
export const DATASET_NAMES: Readonly<Record<string, string>> = Object.fromEntries([
  ...CATALOG.map((e) => {
    const settings = Object.entries(e.params).map(([k, v]) => {
      const choices = e.choices?.[k];
      return `${k} (${show(v)}${choices ? `; ${choices.map(show).join(' or ')}` : ''})`;
    });
    return [e.name, settings.length ? `${settings.join(', ')}, seed — ${e.title}` : e.title];
  }),
  ['csv', CSV_SETTINGS],
]);

/** The entry's defaults overlaid with `given`, each value checked against its default's type and range. */
function settingsOf(entry: CatalogEntry, given: DatasetParams): DatasetParams {
  const p: DatasetParams = { ...entry.params };
  for (const [key, fallback] of Object.entries(entry.params)) {
    const v = given[key];
    if (v === undefined) continue;
    if (typeof fallback === 'number' && (typeof v !== 'number' || !Number.isFinite(v)))
      throw new Error(`The data set "${entry.name}" needs a number for "${key}", got ${show(v)}.`);
    if (typeof v !== typeof fallback)
      throw new Error(`The data set "${entry.name}" needs a ${typeof fallback} for "${key}", got ${show(v)}.`);
    const max = WHOLE[key];
    if (max !== undefined && (!Number.isInteger(v) || (v as number) < 1 || (v as number) > max))
      throw new Error(`The data set parameter "${key}" must be a whole number from 1 to ${max}, got ${show(v)}.`);
    const choices = entry.choices?.[key];
    if (choices && !choices.includes(v))
      throw new Error(
        `The data set "${entry.name}" needs "${key}" to be ${choices.map(show).join(' or ')}, got ${show(v)}.`,
      );
    p[key] = v;
  }
  return p;
}

/** A CSV reference's settings (`path`, `labelColumn`, `task`), checked without reading the file. */
function csvSettings(p: DatasetParams): {
  file: string;
  lc: 'first' | 'last' | number;
  task: 'classification' | 'regression';
} {
  const file = p.path;
  if (typeof file !== 'string' || file === '')
    throw new Error('The CSV data set needs a "path" parameter (the file to read).');
  const lc = p.labelColumn ?? 'last';
  if (lc !== 'first' && lc !== 'last' && !(typeof lc === 'number' && Number.isInteger(lc) && lc >= 0))
    throw new Error(
      `The CSV data set's "labelColumn" must be "last", "first" or a column index from 0, got ${show(lc)}.`,
    );
  const task = p.task ?? 'classification';
  if (task !== 'classification' && task !== 'regression')
    throw new Error(`The CSV data set's "task" must be "classification" or "regression", got ${show(task)}.`);
  return { file, lc, task };
}

/** A CSV file named in the project (`path`, `labelColumn`, `task`), read through `files.readText`. */
function csvDataset(p: DatasetParams, files: DatasetFiles): Dataset {
  const { file, lc, task } = csvSettings(p);
  if (!files.readText) throw new Error('CSV data sets cannot be read here.');
  let text: string;
  try {
    text = files.readText(file);
  } catch (err) {
    throw new Error(`Cannot read the CSV data set "${file}": ${(err as Error).message}`, { cause: err });
  }
  // The file's name, not its folder: the name shows in previews and messages.
  const name = file.split(/[\\/]/).pop() || file;
  return parseNumericCsv(text, { name, labelColumn: lc, task });
}

/**
 * Builds the data set a project names: a bundled set (its defaults filled in, its seed from
 * `params.seed`, else `seed`) or `csv`. Throws an Error with a plain sentence for an unknown name
 * or a bad setting; `files` supplies what only Node can read (the digits file, CSV text).
 *
 * @example
 * const ds = resolveDataset({ name: 'spiral2', params: { n: 60 } }, 0);   // 60 points, 2 classes
 */
export function resolveDataset(ref: DatasetRef, seed: number, files: DatasetFiles = {}): Dataset {
  if (ref.name === 'csv') return csvDataset(ref.params, files);
  const { entry, settings, seed: s } = bundledSettings(ref, seed);
  return entry.make(settings, s, files);
}

/**
 * What is wrong with a data set reference (an unknown name, a bad setting), found without
 * generating or reading any data — `validate` says it instead of `train` failing later — or null.
 * Whether a CSV file can be read is the host's check (host/data/datasetFiles).
 */
export function datasetRefProblem(ref: DatasetRef): string | null {
  try {
    if (ref.name === 'csv') csvSettings(ref.params);
    else bundledSettings(ref, 0);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

function bundledSettings(
  ref: DatasetRef,
  seed: number,
): { entry: CatalogEntry; settings: DatasetParams; seed: number } {
  const alias = ALIASES[ref.name];
  const name = alias?.name ?? ref.name;
  const entry = CATALOG.find((e) => e.name === name);
  if (entry === undefined)
    throw new Error(
      `Unknown data set "${ref.name}"; known ones are ${CATALOG.map((e) => e.name).join(', ')}, or "csv" with a path.`,
    );
  const given = { ...alias?.params, ...ref.params };
  const s = given.seed ?? seed;
  if (typeof s !== 'number' || !Number.isFinite(s))
    throw new Error(`The data set "${name}" needs a number for "seed", got ${show(s)}.`);
  return { entry, settings: settingsOf(entry, given), seed: s };
}
