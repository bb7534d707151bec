import type { Dataset } from './dataset';
import { parseNumericCsv } from './csv';

/**
 * Parses the bundled 8×8 digits set (resources/datasets/digits.csv.gz, decompressed): 64 pixel
 * values 0..16 then the label 0..9 per line. Features are [64] (row-major 8×8; reshape to
 * [1, 8, 8] for a CNN). Throws with the line number on malformed input.
 *
 * @example
 * const ds = parseDigitsCsv(text);   // n = 1797, numClasses = 10
 */
export function parseDigitsCsv(text: string): Dataset {
  const ds = parseNumericCsv(text, { name: 'digits', header: false, task: 'classification' });
  if (ds.featureShape[0] !== 64) throw new Error(`digits: expected 65 columns a line, got ${ds.featureShape[0] + 1}.`);
  for (let i = 0; i < ds.x.length; i++) {
    const v = ds.x[i];
    if (!Number.isInteger(v) || v < 0 || v > 16) {
      throw new Error(
        `digits: pixel ${i % 64} of sample ${Math.floor(i / 64) + 1} is ${v}, expected an integer 0..16.`,
      );
    }
  }
  if (ds.numClasses !== undefined && ds.numClasses > 10)
    throw new Error(`digits: labels must be 0..9, found ${ds.numClasses - 1}.`);
  return { ...ds, numClasses: 10 };
}

/** Parses the (uncompressed) CSV bytes, decoded as UTF-8. */
export function parseDigitsBytes(bytes: Uint8Array): Dataset {
  return parseDigitsCsv(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
}
