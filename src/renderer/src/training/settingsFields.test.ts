import { describe, expect, it } from 'vitest';
import { loadProject, saveProject } from '../../../engine/graph/load';
import { defaultTrainingSettings, newProject } from '../../../engine/graph/schema';
import type { TrainingSettings } from '../../../engine/graph/schema';
import { applyField, parseField, SETTING_FIELDS } from './settingsFields';

const field = (id: string) => SETTING_FIELDS.find((f) => f.id === id)!;

/** Writes a value the way the form does: text parsed by the field's control, checked by the schema. */
function edit(t: TrainingSettings, id: string, input: string | boolean): TrainingSettings {
  const f = field(id);
  const value = typeof input === 'boolean' ? input : parseField(f, input);
  if (typeof value === 'object' && 'error' in value) throw new Error(value.error);
  const r = applyField(t, f, typeof value === 'boolean' ? value : value.value);
  if ('error' in r) throw new Error(r.error);
  return r.settings;
}

function roundTrip(t: TrainingSettings): TrainingSettings {
  const r = loadProject(saveProject({ ...newProject('p'), training: t }));
  if (!r.ok) throw new Error(r.error);
  return r.project.training;
}

describe('the training settings form', () => {
  it('shows every setting as the project holds it, and writing back what it shows changes nothing', () => {
    const t = defaultTrainingSettings();
    for (const f of SETTING_FIELDS) {
      const shown = f.get(t);
      expect(edit(t, f.id, shown)).toEqual(t);
    }
  });

  it('writes every setting into the project file, which reads back to the same form', () => {
    let t = defaultTrainingSettings();
    const edits: [string, string | boolean][] = [
      ['split.dev', '0.2'],
      ['split.test', '0.1'],
      ['split.seed', '42'],
      ['standardize', true],
      ['optimizer.type', 'adamw'],
      ['optimizer.lr', '0.003'],
      ['optimizer.beta1', '0.8'],
      ['optimizer.beta2', '0.99'],
      ['optimizer.weightDecay', '0.01'],
      ['batchSize', '64'],
      ['epochs', '25'],
      ['seed', '7'],
      ['earlyStopping.enabled', true],
      ['earlyStopping.patience', '4'],
      ['shuffleLabels', true],
    ];
    for (const [id, v] of edits) t = edit(t, id, v);
    const back = roundTrip(t);
    expect(back).toEqual(t);
    expect(back.split).toEqual({ train: 0.7, dev: 0.2, test: 0.1, seed: 42 });
    for (const [id, v] of edits) expect(field(id).get(back)).toBe(v);
    // SGD's own settings: momentum and Nesterov (hidden for Adam), and back to "same as the seed".
    t = edit(edit(edit(back, 'optimizer.type', 'sgd'), 'optimizer.momentum', '0.9'), 'optimizer.nesterov', true);
    t = edit(t, 'split.seed', '');
    const sgd = roundTrip(t);
    expect(sgd.optimizer).toMatchObject({ type: 'sgd', momentum: 0.9, nesterov: true });
    expect(sgd.split.seed).toBeUndefined();
    expect(field('optimizer.momentum').applies!(sgd)).toBe(true);
    expect(field('optimizer.beta1').applies!(sgd)).toBe(false);
  });

  it('refuses values the engine would refuse, in a sentence, leaving the settings as they were', () => {
    const t = defaultTrainingSettings();
    expect(() => edit(t, 'optimizer.lr', '-1')).toThrow(/./);
    expect(() => edit(t, 'split.dev', '0.9')).toThrow('Dev and test would take all the data: leave some for training.');
    expect(() => edit(t, 'batchSize', '2.5')).toThrow('Enter a whole number.');
    expect(() => edit(t, 'epochs', 'ten')).toThrow('“ten” is not a number.');
    expect(edit(t, 'optimizer.lr', '1000').optimizer.lr).toBe(1000);
  });
});
