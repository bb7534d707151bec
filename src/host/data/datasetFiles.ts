// The Node half of the data sets: the files the engine's resolver (engine/train/datasets)
// cannot read itself. The app's services and session workers and the CLI all load through here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { DatasetFiles } from '../../engine/train/datasetCatalog';
import type { DatasetRef } from '../../engine/graph/schema';
import { checkDataFile, readTextBoundedSync } from '../files/readBounded';
import type { Dataset } from '../../engine/train/dataset';
import { parseDigitsBytes } from '../../engine/train/digits';

/** `resources/...` found upwards from this file: src/host/data in the sources, out/main(/chunks) in the build. */
export function resourcesFile(...parts: string[]): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const f = path.join(dir, 'resources', ...parts);
    if (existsSync(f)) return f;
    dir = path.dirname(dir);
  }
  return null;
}

/** The bundled 8×8 digits set (resources/datasets/digits.csv.gz). */
export function loadBundledDigits(): Dataset {
  const file = resourcesFile('datasets', 'digits.csv.gz');
  if (file === null)
    throw new Error('The digits data set (resources/datasets/digits.csv.gz) is missing from this installation.');
  return parseDigitsBytes(new Uint8Array(gunzipSync(readFileSync(file))));
}

/** The largest CSV data set read (a file over it is refused before it is read). */
export const MAX_CSV_BYTES = 256 * 1024 * 1024;

/**
 * A CSV data set's text: a regular file of at most MAX_CSV_BYTES (never a device or a FIFO, which
 * would never end or block), read in bounded chunks. Throws the reason as a sentence.
 */
export function readCsvFileSync(file: string): string {
  return readTextBoundedSync(file, MAX_CSV_BYTES);
}

/**
 * Why the project's CSV data set cannot be read (missing, not a regular file, too large), or
 * null: what `validate` reports without reading the data. `baseDir` as in nodeDatasetFiles.
 */
export function csvDatasetProblem(dataset: DatasetRef, baseDir: string = process.cwd()): string | null {
  if (dataset.name !== 'csv' || typeof dataset.params['path'] !== 'string' || dataset.params['path'] === '')
    return null;
  const file = dataset.params['path'];
  const why = checkDataFile(path.resolve(baseDir, file), MAX_CSV_BYTES);
  return why === null ? null : `Cannot read the CSV data set "${file}": ${why}.`;
}

/**
 * The files behind `resolveDataset`: the bundled digits, and CSV files read from disk. A relative
 * CSV path is taken from `baseDir` (the CLI passes the project file's folder; the app's imported
 * files are stored under the data folder with absolute paths).
 *
 * @example
 * resolveDataset(project.training.dataset, seed, nodeDatasetFiles(path.dirname(projectFile)));
 */
export function nodeDatasetFiles(baseDir: string = process.cwd()): DatasetFiles {
  return {
    digits: loadBundledDigits,
    readText: (file) => readCsvFileSync(path.resolve(baseDir, file)),
  };
}
