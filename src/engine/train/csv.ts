import type { Dataset } from './dataset';

export interface CsvOptions {
  name?: string;
  /** Column of the target: 'last' (default), 'first' or a 0-based index. */
  labelColumn?: 'last' | 'first' | number;
  /** 'auto' (default): a first line that is not all numbers is a header. */
  header?: boolean | 'auto';
  task?: 'classification' | 'regression';
  /** Shape of one sample's features (default [number of feature columns]). */
  featureShape?: number[];
}

/**
 * Parses a numeric CSV (comma separated, one sample a line) into a data set. Every error
 * names the line (1-based) and column at fault; blank lines are skipped. For classification
 * the labels must be integers ≥ 0 and numClasses is max label + 1.
 *
 * @example
 * const ds = parseNumericCsv('x1,x2,y\n0.5,1,0\n2,3,1\n', { task: 'classification' });
 */
export function parseNumericCsv(text: string, opts: CsvOptions = {}): Dataset {
  const task = opts.task ?? 'classification';
  const lines = text.split(/\r?\n/);
  const rows: number[][] = [];
  let header: string[] | undefined;
  let width = -1;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li].trim();
    if (line === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    const nums = cells.map((c) => (c === '' ? NaN : Number(c)));
    const numeric = nums.every((v) => Number.isFinite(v));
    if (rows.length === 0 && header === undefined && !numeric && opts.header !== false) {
      header = cells;
      width = cells.length;
      continue;
    }
    if (opts.header === true && header === undefined) {
      header = cells;
      width = cells.length;
      continue;
    }
    if (width === -1) width = cells.length;
    if (cells.length !== width) {
      throw new Error(`CSV line ${li + 1}: ${cells.length} columns, expected ${width}.`);
    }
    const bad = nums.findIndex((v) => !Number.isFinite(v));
    // The cell is not quoted: an error never echoes a file's contents.
    if (bad !== -1)
      throw new Error(
        `CSV line ${li + 1}, column ${bad + 1}: ${cells[bad].trim() === '' ? 'the cell is empty, not a number' : 'not a finite number'}.`,
      );
    rows.push(nums);
  }
  if (rows.length === 0) throw new Error('CSV: no data rows.');
  if (width < 2) throw new Error('CSV: need at least one feature column and one label column.');
  const lc =
    opts.labelColumn === undefined || opts.labelColumn === 'last'
      ? width - 1
      : opts.labelColumn === 'first'
        ? 0
        : opts.labelColumn;
  if (!Number.isInteger(lc) || lc < 0 || lc >= width)
    throw new Error(`CSV: label column ${String(opts.labelColumn)} is out of range for ${width} columns.`);
  const f = width - 1;
  const featureShape = opts.featureShape ?? [f];
  if (featureShape.reduce((a, b) => a * b, 1) !== f) {
    throw new Error(`CSV: featureShape [${featureShape.join(', ')}] does not hold ${f} feature columns.`);
  }
  const x = new Float64Array(rows.length * f);
  const y = new Float64Array(rows.length);
  let maxLabel = -1;
  rows.forEach((r, i) => {
    let k = 0;
    for (let j = 0; j < width; j++) if (j !== lc) x[i * f + k++] = r[j];
    const label = r[lc];
    if (task === 'classification') {
      if (!Number.isInteger(label) || label < 0) {
        throw new Error(`CSV data row ${i + 1}: label ${label} must be a non-negative integer class index.`);
      }
      maxLabel = Math.max(maxLabel, label);
    }
    y[i] = label;
  });
  return {
    name: opts.name ?? 'csv',
    task,
    n: rows.length,
    featureShape,
    x,
    targetShape: task === 'classification' ? [] : [1],
    y,
    numClasses: task === 'classification' ? maxLabel + 1 : undefined,
    featureNames: header?.filter((_, j) => j !== lc),
  };
}
