import { describe, expect, it } from 'vitest';
import { resolveDataset } from './datasets';

describe('resolveDataset', () => {
  it('uses the app catalog’s defaults and aliases, so a project means the same data everywhere', () => {
    const xor = resolveDataset({ name: 'xor', params: {} }, 0);
    expect(xor.n).toBe(4);
    expect(Array.from(xor.y)).toEqual([0, 1, 1, 0]);
    expect(resolveDataset({ name: 'spiral3', params: { n: 30 } }, 0).numClasses).toBe(3);
    expect(resolveDataset({ name: 'spiral2', params: { n: 30 } }, 0).numClasses).toBe(2);
    expect(resolveDataset({ name: 'sine', params: {} }, 0)).toMatchObject({ n: 100, task: 'regression' });
    expect(resolveDataset({ name: 'bits', params: { n: 10, length: 5, task: 'counting' } }, 0)).toMatchObject({ n: 10, featureShape: [5, 1], numClasses: 6 });
  });

  it('takes the seed from the settings, else the project’s seed', () => {
    const a = resolveDataset({ name: 'moons', params: { n: 20 } }, 1);
    expect(resolveDataset({ name: 'moons', params: { n: 20 } }, 1).x).toEqual(a.x);
    expect(resolveDataset({ name: 'moons', params: { n: 20, seed: 1 } }, 7).x).toEqual(a.x);
    expect(resolveDataset({ name: 'moons', params: { n: 20 } }, 2).x).not.toEqual(a.x);
  });

  it('refuses unknown names and bad settings in one sentence', () => {
    expect(() => resolveDataset({ name: 'mnist', params: {} }, 0)).toThrow(/^Unknown data set "mnist"; known ones are xor, /);
    expect(() => resolveDataset({ name: 'xor', params: { n: 1e9 } }, 0)).toThrow('The data set parameter "n" must be a whole number from 1 to 100000, got 1000000000.');
    expect(() => resolveDataset({ name: 'circles', params: { noise: 'lots' } }, 0)).toThrow('The data set "circles" needs a number for "noise", got "lots".');
    expect(() => resolveDataset({ name: 'digits', params: {} }, 0)).toThrow('The digits data set is not available here.');
    expect(resolveDataset({ name: 'csv', params: { path: 'a.csv' } }, 0, { readText: () => 'x,y\n1,0\n2,1\n' })).toMatchObject({ n: 2, numClasses: 2 });
  });
});
