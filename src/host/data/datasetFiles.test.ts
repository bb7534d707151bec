import { describe, expect, it } from 'vitest';
import { loadBundledDigits } from './datasetFiles';

describe('the bundled data files', () => {
  it('loads the bundled digits: 1797 × 64, 10 classes', () => {
    const ds = loadBundledDigits();
    expect(ds.n).toBe(1797);
    expect(ds.featureShape).toEqual([64]);
    expect(ds.numClasses).toBe(10);
    expect(new Set(ds.y).size).toBe(10);
  });
});
