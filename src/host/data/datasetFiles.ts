// The Node half of the data sets: the files the engine's resolver (engine/graph/runtime/datasets)
// cannot read itself. The app's services and session workers and the CLI all load through here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { DatasetFiles } from '../../engine/graph/runtime/datasetCatalog';
import type { Dataset } from '../../engine/train/dataset';
import { parseDigitsBytes } from '../../engine/train/digits';

/** `resources/...` found upwards from this file: src/host/data in the sources, out/main(/chunks) in the build. */
function resourcesFile(...parts: string[]): string | null {
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
    readText: (file) => readFileSync(path.resolve(baseDir, file), 'utf8'),
  };
}
