import { describe, expect, it } from 'vitest';
import { defaultTrainingSettings, type TrainingSettings } from '../graph/schema';
import { moons } from './synthetic';
import { dataSettingsKey, splitData } from './trainingData';

describe('dataSettingsKey', () => {
  // One variant per setting: the key must change exactly when the split data does, so a session
  // that reloads on a key change never trains on stale data (nor reloads for nothing).
  const base: TrainingSettings = { ...defaultTrainingSettings(), dataset: { name: 'moons', params: {} } };
  const variants: Record<string, TrainingSettings> = {
    split: { ...base, split: { train: 0.6, dev: 0.2, test: 0.2 } },
    'split seed': { ...base, split: { ...base.split, seed: 7 } },
    seed: { ...base, seed: 3 },
    standardize: { ...base, standardize: true },
    shuffleLabels: { ...base, shuffleLabels: true },
    dataset: { ...base, dataset: { name: 'moons', params: { noise: 0.3 } } },
    epochs: { ...base, epochs: 7 },
    batchSize: { ...base, batchSize: 8 },
    optimizer: { ...base, optimizer: { ...base.optimizer, lr: 0.5 } },
    earlyStopping: { ...base, earlyStopping: { enabled: true, patience: 3 } },
  };
  const data = moons(60, { noise: 0.1, seed: 1 });
  const same = (a: TrainingSettings, b: TrainingSettings) => {
    const [x, y] = [splitData(data, a), splitData(data, b)];
    return (
      JSON.stringify(x.split) === JSON.stringify(y.split) &&
      x.dataset.x.every((v, i) => Object.is(v, y.dataset.x[i])) &&
      x.dataset.y.every((v, i) => Object.is(v, y.dataset.y[i]))
    );
  };

  it.each(Object.keys(variants))('changes with %s exactly when the split data would', (name) => {
    const v = variants[name];
    // The data set itself is generated before splitData, from the same settings.
    const dataChanges = name === 'dataset' || !same(base, v);
    expect(dataSettingsKey(v) !== dataSettingsKey(base)).toBe(dataChanges);
  });
});
