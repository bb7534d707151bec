import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset } from './dataset';
import { parseDigitsCsv } from './digits';

/** resources/datasets/digits.csv.gz relative to this file (src/engine/train). */
export const DIGITS_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'resources',
  'datasets',
  'digits.csv.gz',
);

/** Node-side loader of the bundled digits set (the engine itself never touches the file system). */
export function loadDigits(file = DIGITS_PATH): Dataset {
  return parseDigitsCsv(gunzipSync(readFileSync(file)).toString('utf8'));
}
