import { describe, it, expect } from 'vitest';
import { blobs, bitSequences, circles, linearlySeparable, moons, noisySine, spirals, xor } from './synthetic';
import { parseNumericCsv } from './csv';
import { parseDigitsCsv } from './digits';
import { splitIndices } from './split';
import { applyStandardizer, fitStandardizer } from './standardize';
import { accuracy, confusionMatrix, MeanMetric } from './metrics';
import { subset, toPlusMinusOne, toTensors } from './dataset';

describe('synthetic data sets', () => {
  const makers = {
    blobs: (s: number) => blobs(60, { seed: s }),
    linearlySeparable: (s: number) => linearlySeparable(60, { seed: s }),
    xor: (s: number) => xor(60, { seed: s }),
    circles: (s: number) => circles(60, { seed: s }),
    moons: (s: number) => moons(60, { seed: s }),
    spirals2: (s: number) => spirals(60, { classes: 2, seed: s }),
    spirals3: (s: number) => spirals(60, { classes: 3, seed: s }),
    sine: (s: number) => noisySine(60, { seed: s, outliers: 0.1 }),
    parity: (s: number) => bitSequences(60, { seed: s, task: 'parity' }),
    counting: (s: number) => bitSequences(60, { seed: s, task: 'counting', length: 5 }),
  };
  for (const [name, make] of Object.entries(makers)) {
    it(`${name}: same seed → same set, other seed → another`, () => {
      const a = make(1);
      expect(make(1)).toEqual(a);
      expect(Array.from(make(2).x)).not.toEqual(Array.from(a.x));
      expect(a.n).toBe(60);
      expect(a.x.length).toBe(60 * a.featureShape.reduce((p, q) => p * q, 1));
      if (a.task === 'classification') {
        const k = a.numClasses ?? 0;
        for (const v of a.y) expect(Number.isInteger(v) && v >= 0 && v < k).toBe(true);
        if (name !== 'counting') expect(new Set(a.y).size).toBe(k);
      }
    });
  }

  it('labels follow their definitions', () => {
    const x = xor(4, { noise: 0 });
    expect(Array.from(x.y)).toEqual([0, 1, 1, 0]);
    const p = bitSequences(50, { length: 6, task: 'parity', seed: 3 });
    const c = bitSequences(50, { length: 6, task: 'counting', seed: 3 });
    for (let i = 0; i < 50; i++) {
      const ones = Array.from(c.x.subarray(i * 6, i * 6 + 6)).reduce((s, v) => s + v, 0);
      expect(c.y[i]).toBe(ones);
      expect(p.y[i]).toBe(ones % 2);
    }
    const ls = linearlySeparable(100, { seed: 5, margin: 0.2 });
    expect(ls.numClasses).toBe(2);
    const sine = noisySine(200, { seed: 1, noise: 0 });
    for (let i = 0; i < 200; i++) expect(sine.y[i]).toBeCloseTo(Math.sin(sine.x[i]), 12);
    expect(toPlusMinusOne([0, 1])).toEqual(Float64Array.from([-1, 1]));
  });
});

describe('CSV and digits', () => {
  it('parses with a header and reports bad lines by number', () => {
    const ds = parseNumericCsv('a,b,label\n1,2,0\n\n3,4,1\n');
    expect(ds.n).toBe(2);
    expect(ds.featureNames).toEqual(['a', 'b']);
    expect(Array.from(ds.y)).toEqual([0, 1]);
    expect(() => parseNumericCsv('1,2,0\n3,x,1\n')).toThrow(/line 2, column 2/);
    expect(() => parseNumericCsv('1,2,0\n3,1\n')).toThrow(/line 2: 2 columns/);
    expect(() => parseNumericCsv('1,2,0.5\n')).toThrow(/class index/);
    expect(() => parseNumericCsv('')).toThrow(/no data rows/);
  });

  it('rejects digits with a bad pixel', () => {
    expect(() => parseDigitsCsv(`${new Array(64).fill(17).join(',')},3\n`)).toThrow(/pixel 0 of sample 1 is 17/);
  });
});

describe('splits, standardisation, metrics', () => {
  it('seeded split is a partition and reproducible', () => {
    const s = splitIndices(100, { dev: 0.2, test: 0.1, seed: 3 });
    expect(s.train.length + s.dev.length + s.test.length).toBe(100);
    expect(new Set([...s.train, ...s.dev, ...s.test]).size).toBe(100);
    expect(s.dev.length).toBe(20);
    expect(splitIndices(100, { dev: 0.2, test: 0.1, seed: 3 })).toEqual(s);
    expect(splitIndices(100, { dev: 0.2, test: 0.1, seed: 4 })).not.toEqual(s);
    expect(() => splitIndices(10, { dev: 0.6, test: 0.5 })).toThrow(/dev \+ test < 1/);
  });

  it('standardisation fits on train only and gives mean 0, std 1', () => {
    const ds = blobs(100, { seed: 2, spread: 5 });
    const s = fitStandardizer(ds, [...Array(80).keys()]);
    const z = applyStandardizer(subset(ds, [...Array(80).keys()]), s);
    for (let j = 0; j < 2; j++) {
      const col = Array.from({ length: 80 }, (_, i) => z.x[i * 2 + j]);
      const m = col.reduce((a, b) => a + b, 0) / 80;
      const v = col.reduce((a, b) => a + (b - m) ** 2, 0) / 80;
      expect(m).toBeCloseTo(0, 10);
      expect(v).toBeCloseTo(1, 10);
    }
    const constant = parseNumericCsv('1,5,0\n2,5,1\n');
    expect(fitStandardizer(constant).std[1]).toBe(1);
    expect(toTensors(ds, [0, 1]).x.shape).toEqual([2, 2]);
  });

  it('accuracy, confusion matrix, mean loss', () => {
    expect(accuracy([0, 1, 2, 1], [0, 2, 2, 1])).toBe(0.75);
    expect(confusionMatrix([0, 1, 1], [0, 1, 0], 2)).toEqual([
      [1, 1],
      [0, 1],
    ]);
    expect(() => confusionMatrix([3], [0], 2)).toThrow(/outside/);
    const m = new MeanMetric();
    m.add(1, 10);
    m.add(4, 30);
    expect(m.value).toBeCloseTo(3.25, 12);
  });
});
