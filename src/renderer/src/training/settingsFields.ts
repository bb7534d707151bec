import { trainingSchema } from '../../../engine/graph/schema';
import type { TrainingSettings } from '../../../engine/graph/schema';

/**
 * The Training tab's form, one entry per setting: how to show it and how to write it back into
 * the project's `training` object. Every edit goes through the engine's schema, so the form can
 * never save what the CLI would refuse.
 */
export interface SettingField {
  readonly id: string;
  readonly label: string;
  readonly control: 'int' | 'float' | 'bool' | 'choice' | 'optional-int';
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  readonly help: string;
  /** Whether the field applies to these settings (momentum only for SGD, betas only for Adam). */
  readonly applies?: (t: TrainingSettings) => boolean;
  readonly get: (t: TrainingSettings) => string | boolean;
  readonly set: (t: TrainingSettings, v: number | boolean | string | null) => TrainingSettings;
}

const opt = (t: TrainingSettings, patch: Partial<TrainingSettings['optimizer']>): TrainingSettings => ({
  ...t,
  optimizer: { ...t.optimizer, ...patch },
});
const num = (v: number | boolean | string | null): number => v as number;
const isSgd = (t: TrainingSettings) => t.optimizer.type === 'sgd';
/** Fractions of the data, rounded for display (0.7 + 0.15 + 0.15 stays 0.7, not 0.7000000000000001). */
const fraction = (v: number) => String(Math.round(v * 1e6) / 1e6);
const withSplit = (t: TrainingSettings, dev: number, test: number): TrainingSettings => ({
  ...t,
  split: { ...t.split, dev, test, train: Math.round((1 - dev - test) * 1e9) / 1e9 },
});

export const SETTING_FIELDS: readonly SettingField[] = [
  {
    id: 'split.dev',
    label: 'Dev fraction',
    control: 'float',
    help: 'Share of the data held out to watch overfitting and choose hyper-parameters; training gets the rest.',
    get: (t) => fraction(t.split.dev),
    set: (t, v) => withSplit(t, num(v), t.split.test),
  },
  {
    id: 'split.test',
    label: 'Test fraction',
    control: 'float',
    help: 'Share of the data kept aside for the final check, looked at once training ends.',
    get: (t) => fraction(t.split.test),
    set: (t, v) => withSplit(t, t.split.dev, num(v)),
  },
  {
    id: 'split.seed',
    label: 'Split seed',
    control: 'optional-int',
    help: 'Which samples go to train, dev and test. Empty: the training seed.',
    get: (t) => (t.split.seed === undefined ? '' : String(t.split.seed)),
    set: (t, v) => {
      const { seed: _old, ...rest } = t.split;
      return { ...t, split: v === null ? rest : { ...rest, seed: num(v) } };
    },
  },
  {
    id: 'standardize',
    label: 'Standardise features',
    control: 'bool',
    help: 'Shift and scale each feature to mean 0 and variance 1, with the training split’s statistics only.',
    get: (t) => t.standardize,
    set: (t, v) => ({ ...t, standardize: v === true }),
  },
  {
    id: 'optimizer.type',
    label: 'Optimizer',
    control: 'choice',
    options: [
      { value: 'sgd', label: 'SGD' },
      { value: 'adam', label: 'Adam' },
      { value: 'adamw', label: 'AdamW' },
    ],
    help: 'SGD (with momentum), Adam, or AdamW (weight decay decoupled from the gradient).',
    get: (t) => t.optimizer.type,
    set: (t, v) => opt(t, { type: v as TrainingSettings['optimizer']['type'] }),
  },
  {
    id: 'optimizer.lr',
    label: 'Learning rate',
    control: 'float',
    help: 'The step size of every update.',
    get: (t) => String(t.optimizer.lr),
    set: (t, v) => opt(t, { lr: num(v) }),
  },
  {
    id: 'optimizer.momentum',
    label: 'Momentum',
    control: 'float',
    help: 'How much of the previous update carries over (0 is plain gradient descent).',
    applies: isSgd,
    get: (t) => String(t.optimizer.momentum),
    set: (t, v) => opt(t, { momentum: num(v) }),
  },
  {
    id: 'optimizer.nesterov',
    label: 'Nesterov',
    control: 'bool',
    help: 'Nesterov momentum: take the gradient where the momentum is about to carry the weights.',
    applies: isSgd,
    get: (t) => t.optimizer.nesterov,
    set: (t, v) => opt(t, { nesterov: v === true }),
  },
  {
    id: 'optimizer.beta1',
    label: 'β₁',
    control: 'float',
    help: 'Decay of the running mean of the gradients.',
    applies: (t) => !isSgd(t),
    get: (t) => String(t.optimizer.beta1),
    set: (t, v) => opt(t, { beta1: num(v) }),
  },
  {
    id: 'optimizer.beta2',
    label: 'β₂',
    control: 'float',
    help: 'Decay of the running mean of the squared gradients.',
    applies: (t) => !isSgd(t),
    get: (t) => String(t.optimizer.beta2),
    set: (t, v) => opt(t, { beta2: num(v) }),
  },
  {
    id: 'optimizer.weightDecay',
    label: 'Weight decay',
    control: 'float',
    help: 'Pulls every weight towards 0 at each step (L2 regularisation; decoupled in AdamW).',
    get: (t) => String(t.optimizer.weightDecay),
    set: (t, v) => opt(t, { weightDecay: num(v) }),
  },
  {
    id: 'batchSize',
    label: 'Batch size',
    control: 'int',
    help: 'Samples per update.',
    get: (t) => String(t.batchSize),
    set: (t, v) => ({ ...t, batchSize: num(v) }),
  },
  {
    id: 'epochs',
    label: 'Epochs',
    control: 'int',
    help: 'Passes over the training split that Train runs.',
    get: (t) => String(t.epochs),
    set: (t, v) => ({ ...t, epochs: num(v) }),
  },
  {
    id: 'seed',
    label: 'Seed',
    control: 'int',
    help: 'Seeds the initial weights, the data generator and the batches’ order.',
    get: (t) => String(t.seed),
    set: (t, v) => ({ ...t, seed: num(v) }),
  },
  {
    id: 'earlyStopping.enabled',
    label: 'Early stopping',
    control: 'bool',
    help: 'Stop when the dev loss has not improved for “patience” epochs, and go back to the best epoch’s weights.',
    get: (t) => t.earlyStopping.enabled,
    set: (t, v) => ({ ...t, earlyStopping: { ...t.earlyStopping, enabled: v === true } }),
  },
  {
    id: 'earlyStopping.patience',
    label: 'Patience',
    control: 'int',
    help: 'Epochs without a better dev loss before stopping.',
    applies: (t) => t.earlyStopping.enabled,
    get: (t) => String(t.earlyStopping.patience),
    set: (t, v) => ({ ...t, earlyStopping: { ...t.earlyStopping, patience: num(v) } }),
  },
  {
    id: 'shuffleLabels',
    label: 'Shuffle the labels',
    control: 'bool',
    help: 'Train on randomly permuted labels (dev and test keep theirs): a big network still fits them, and generalises to nothing.',
    get: (t) => t.shuffleLabels,
    set: (t, v) => ({ ...t, shuffleLabels: v === true }),
  },
];

/** A field's text parsed as its control wants it, or a reason it is not a value. */
export function parseField(field: SettingField, text: string): { value: number | string | null } | { error: string } {
  const s = text.trim();
  if (field.control === 'choice') return { value: s };
  if (field.control === 'optional-int' && s === '') return { value: null };
  if (s === '') return { error: 'Enter a number.' };
  const n = Number(s);
  if (!Number.isFinite(n)) return { error: `“${s}” is not a number.` };
  if (field.control !== 'float' && !Number.isInteger(n)) return { error: 'Enter a whole number.' };
  return { value: n };
}

/**
 * The settings with one field changed, checked by the engine's schema; a sentence when the
 * value is out of range (the project keeps its settings).
 */
export function applyField(
  t: TrainingSettings,
  field: SettingField,
  value: number | string | boolean | null,
): { settings: TrainingSettings } | { error: string } {
  const next = field.set(t, value);
  if (next.split.train <= 0) return { error: 'Dev and test would take all the data: leave some for training.' };
  const r = trainingSchema.safeParse(next);
  if (r.success) return { settings: next };
  const issue = r.error.issues[0];
  const msg = issue?.message ?? 'invalid value';
  return { error: `${msg.charAt(0).toUpperCase()}${msg.slice(1)}.` };
}

/** The settings in a few words, for a run's legend ("Adam lr 0.01, batch 32"). */
export function describeSettings(t: TrainingSettings): string {
  const o = t.optimizer;
  const name =
    o.type === 'sgd'
      ? o.momentum
        ? `SGD m${o.momentum}${o.nesterov ? ' Nesterov' : ''}`
        : 'SGD'
      : o.type === 'adam'
        ? 'Adam'
        : 'AdamW';
  return [
    `${name} lr ${o.lr}`,
    o.weightDecay ? `wd ${o.weightDecay}` : '',
    `batch ${t.batchSize}`,
    t.shuffleLabels ? 'shuffled labels' : '',
  ]
    .filter(Boolean)
    .join(', ');
}
