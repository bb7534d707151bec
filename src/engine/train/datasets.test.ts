import { describe, expect, it } from 'vitest';
import { CATALOG } from './datasetCatalog';
import { DATASET_NAMES, listDatasets, resolveDataset } from './datasets';

describe('resolveDataset', () => {
  it('uses the catalog’s defaults and aliases, so a project means the same data everywhere', () => {
    const xor = resolveDataset({ name: 'xor', params: {} }, 0);
    expect(xor.n).toBe(4);
    expect(Array.from(xor.y)).toEqual([0, 1, 1, 0]);
    expect(resolveDataset({ name: 'spiral3', params: { n: 30 } }, 0).numClasses).toBe(3);
    expect(resolveDataset({ name: 'spiral2', params: { n: 30 } }, 0).numClasses).toBe(2);
    expect(resolveDataset({ name: 'spiral2', params: { n: 30, classes: 3 } }, 0).numClasses).toBe(3);
    expect(resolveDataset({ name: 'noisy-sine', params: {} }, 0).x).toEqual(
      resolveDataset({ name: 'sine', params: {} }, 0).x,
    );
    expect(resolveDataset({ name: 'sine', params: {} }, 0)).toMatchObject({ n: 100, task: 'regression' });
    expect(resolveDataset({ name: 'bits', params: { n: 10, length: 5, task: 'counting' } }, 0)).toMatchObject({
      n: 10,
      featureShape: [5, 1],
      numClasses: 6,
    });
  });

  it('takes the seed from the settings, else the project’s seed', () => {
    const a = resolveDataset({ name: 'moons', params: { n: 20 } }, 1);
    expect(resolveDataset({ name: 'moons', params: { n: 20 } }, 1).x).toEqual(a.x);
    expect(resolveDataset({ name: 'moons', params: { n: 20, seed: 1 } }, 7).x).toEqual(a.x);
    expect(resolveDataset({ name: 'moons', params: { n: 20 } }, 2).x).not.toEqual(a.x);
  });

  it('uses every parameter it lists: changing one changes the data', () => {
    // digits has no parameters (and needs the host's file).
    for (const entry of listDatasets().filter((e) => 'n' in e.params)) {
      const base = resolveDataset({ name: entry.name, params: { n: 12 } }, 3);
      for (const [key, v] of Object.entries(entry.params)) {
        if (key === 'n') continue;
        const other =
          CATALOG.find((e) => e.name === entry.name)?.choices?.[key]?.find((c) => c !== v) ??
          (typeof v === 'number' ? (Number.isInteger(v) ? v + 1 : v * 2 + 0.25) : v);
        const changed = resolveDataset({ name: entry.name, params: { n: 12, [key]: other } }, 3);
        const same =
          changed.n === base.n && String(changed.x) === String(base.x) && String(changed.y) === String(base.y);
        expect(same, `${entry.name}.${key} = ${JSON.stringify(other)} changed nothing`).toBe(false);
      }
    }
  });

  it('lists every bundled set in DATASET_NAMES, with csv', () => {
    expect(Object.keys(DATASET_NAMES)).toEqual([...listDatasets().map((e) => e.name), 'csv']);
    expect(DATASET_NAMES.spiral).toBe('n (300), classes (3; 2 or 3), noise (0.2), seed — Spirals');
  });

  it('refuses unknown names and bad settings in one sentence', () => {
    expect(() => resolveDataset({ name: 'mnist', params: {} }, 0)).toThrow(
      /^Unknown data set "mnist"; known ones are xor, .*, or "csv" with a path\.$/,
    );
    expect(() => resolveDataset({ name: 'xor', params: { n: 1e9 } }, 0)).toThrow(
      'The data set parameter "n" must be a whole number from 1 to 100000, got 1000000000.',
    );
    expect(() => resolveDataset({ name: 'bits', params: { length: 2.5 } }, 0)).toThrow(
      'The data set parameter "length" must be a whole number from 1 to 1000, got 2.5.',
    );
    expect(() => resolveDataset({ name: 'circles', params: { noise: 'lots' } }, 0)).toThrow(
      'The data set "circles" needs a number for "noise", got "lots".',
    );
    expect(() => resolveDataset({ name: 'spiral', params: { classes: 4 } }, 0)).toThrow(
      'The data set "spiral" needs "classes" to be 2 or 3, got 4.',
    );
    expect(() => resolveDataset({ name: 'bits', params: { task: 'sorting' } }, 0)).toThrow(
      'The data set "bits" needs "task" to be "parity" or "counting", got "sorting".',
    );
    expect(() => resolveDataset({ name: 'bits', params: { task: true } }, 0)).toThrow(
      'The data set "bits" needs a string for "task", got true.',
    );
    expect(() => resolveDataset({ name: 'moons', params: { seed: 'x' } }, 0)).toThrow(
      'The data set "moons" needs a number for "seed", got "x".',
    );
    expect(() => resolveDataset({ name: 'digits', params: {} }, 0)).toThrow(
      'The digits data set is not available here.',
    );
  });

  it('reads a CSV through the caller’s files, with its label column and task', () => {
    const text = 'y,a,b\n1,0.5,2\n0,1.5,3\n';
    const read: string[] = [];
    const files = { readText: (p: string) => (read.push(p), text) };
    const first = resolveDataset({ name: 'csv', params: { path: 'data/train.csv', labelColumn: 'first' } }, 0, files);
    expect(read).toEqual(['data/train.csv']);
    expect(first).toMatchObject({ name: 'train.csv', n: 2, numClasses: 2, featureNames: ['a', 'b'] });
    expect(Array.from(first.y)).toEqual([1, 0]);
    expect(resolveDataset({ name: 'csv', params: { path: 'a.csv', task: 'regression' } }, 0, files)).toMatchObject({
      task: 'regression',
      targetShape: [1],
    });
    expect(() => resolveDataset({ name: 'csv', params: {} }, 0, files)).toThrow(
      'The CSV data set needs a "path" parameter (the file to read).',
    );
    expect(() => resolveDataset({ name: 'csv', params: { path: 'a.csv', labelColumn: 'middle' } }, 0, files)).toThrow(
      /"labelColumn" must be "last", "first" or a column index/,
    );
    expect(() => resolveDataset({ name: 'csv', params: { path: 'a.csv', task: 'ranking' } }, 0, files)).toThrow(
      /"task" must be "classification" or "regression", got "ranking"/,
    );
    expect(() => resolveDataset({ name: 'csv', params: { path: 'a.csv' } }, 0)).toThrow(
      'CSV data sets cannot be read here.',
    );
    const missing = {
      readText: () => {
        throw new Error('ENOENT: no such file');
      },
    };
    expect(() => resolveDataset({ name: 'csv', params: { path: 'gone.csv' } }, 0, missing)).toThrow(
      'Cannot read the CSV data set "gone.csv": ENOENT: no such file',
    );
  });
});
