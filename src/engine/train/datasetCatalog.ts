// The bundled data sets a project can name (`training.dataset`): the one table the app's
// datasets.list, its sessions and the CLI all read. Pure: files come from the caller (datasets.ts).
import type { Dataset } from './dataset';
import { bitSequences, blobs, circles, linearlySeparable, moons, noisySine, spirals, xor } from './synthetic';
import type { ToyTask } from './toyTranslation';
import { TOY_TASKS, toyTranslation } from './toyTranslation';

export type DatasetParamValue = number | string | boolean;
export type DatasetParams = Record<string, DatasetParamValue>;

/** What datasets.list shows for a bundled set. */
export interface DatasetInfo {
  name: string;
  title: string;
  description: string;
  task: 'classification' | 'regression';
  /** Every parameter the generator reads from `training.dataset.params`, with its default. */
  params: DatasetParams;
}

/** Files only the host or the CLI can read (the engine never touches the file system). */
export interface DatasetFiles {
  /** The bundled 8×8 digits set. */
  digits?: () => Dataset;
  /** The text of a CSV file named in the project. */
  readText?: (path: string) => string;
}

export interface CatalogEntry extends DatasetInfo {
  /** Allowed values of a parameter, where only some are meaningful. */
  choices?: Readonly<Record<string, readonly DatasetParamValue[]>>;
  /**
   * Builds the set from `params`: the defaults above overlaid with the project's settings, each
   * already checked to have its default's type (so the defaults listed are the ones used).
   */
  make(params: DatasetParams, seed: number, files: DatasetFiles): Dataset;
}

const n = (p: DatasetParams, key: string) => p[key] as number;

export const CATALOG: readonly CatalogEntry[] = [
  {
    name: 'xor',
    title: 'XOR',
    description: 'Points at the four corners (±1, ±1), label 1 where the signs differ; 4 noiseless points by default.',
    task: 'classification',
    params: { n: 4, noise: 0 },
    make: (p, seed) => xor(n(p, 'n'), { seed, noise: n(p, 'noise') }),
  },
  {
    name: 'linear',
    title: 'Linearly separable points',
    description: 'Two classes on either side of a line, with a margin.',
    task: 'classification',
    params: { n: 100, margin: 0.1 },
    make: (p, seed) => linearlySeparable(n(p, 'n'), { seed, margin: n(p, 'margin') }),
  },
  {
    name: 'blobs',
    title: 'Gaussian blobs',
    description: 'Clusters of points, one per class.',
    task: 'classification',
    params: { n: 200, classes: 2, std: 0.5, spread: 2 },
    make: (p, seed) => blobs(n(p, 'n'), { seed, classes: n(p, 'classes'), std: n(p, 'std'), spread: n(p, 'spread') }),
  },
  {
    name: 'circles',
    title: 'Circles',
    description: 'A ring around a disc: not linearly separable.',
    task: 'classification',
    params: { n: 200, noise: 0.05, factor: 0.5 },
    make: (p, seed) => circles(n(p, 'n'), { seed, noise: n(p, 'noise'), factor: n(p, 'factor') }),
  },
  {
    name: 'moons',
    title: 'Two moons',
    description: 'Two interleaved half circles.',
    task: 'classification',
    params: { n: 200, noise: 0.1 },
    make: (p, seed) => moons(n(p, 'n'), { seed, noise: n(p, 'noise') }),
  },
  {
    name: 'spiral',
    title: 'Spirals',
    description: 'Two or three interleaved spiral arms.',
    task: 'classification',
    params: { n: 300, classes: 3, noise: 0.2 },
    choices: { classes: [2, 3] },
    make: (p, seed) => spirals(n(p, 'n'), { seed, classes: n(p, 'classes') as 2 | 3, noise: n(p, 'noise') }),
  },
  {
    name: 'sine',
    title: 'Noisy sine',
    description: 'Regression of sin(x) with noise and optional outliers.',
    task: 'regression',
    params: { n: 100, noise: 0.1, outliers: 0 },
    make: (p, seed) => noisySine(n(p, 'n'), { seed, noise: n(p, 'noise'), outliers: n(p, 'outliers') }),
  },
  {
    name: 'sine-outliers',
    title: 'Sine with outliers',
    description:
      'The noisy sine with a fraction of its targets pushed 2–4 above the curve ("above") or to either side ("both"): squared error follows them, absolute error does not.',
    task: 'regression',
    params: { n: 300, noise: 0.1, outliers: 0.2, side: 'above' },
    choices: { side: ['above', 'both'] },
    make: (p, seed) =>
      noisySine(n(p, 'n'), {
        seed,
        noise: n(p, 'noise'),
        outliers: n(p, 'outliers'),
        outlierSide: p.side as 'both' | 'above',
      }),
  },
  {
    name: 'bits',
    title: 'Bit sequences',
    description: 'Sequences of bits labelled by their parity, or by the number of ones (task "counting").',
    task: 'classification',
    params: { n: 500, length: 8, task: 'parity' },
    choices: { task: ['parity', 'counting'] },
    make: (p, seed) => bitSequences(n(p, 'n'), { seed, length: n(p, 'length'), task: p.task as 'parity' | 'counting' }),
  },
  {
    name: 'translate',
    title: 'Toy translation',
    description:
      'Words of minLength…length letters from an alphabet of `letters` letters, to be reversed (or copied): each sample is the source word and the decoder input (<s> and the target, for teacher forcing), labelled by the target word and </s>; padding is token 0.',
    task: 'classification',
    params: { n: 1000, length: 8, minLength: 3, letters: 8, task: 'reverse' },
    choices: { task: TOY_TASKS },
    make: (p, seed) =>
      toyTranslation(n(p, 'n'), {
        seed,
        length: n(p, 'length'),
        minLength: n(p, 'minLength'),
        letters: n(p, 'letters'),
        task: p.task as ToyTask,
      }),
  },
  {
    name: 'scalar',
    title: 'One hand-picked sample',
    description:
      'A single sample: the number x with the real target t, both set here, for computational graphs worked by hand.',
    task: 'regression',
    params: { x: -2, target: -12.5 },
    make: (p) => ({
      name: 'scalar',
      task: 'regression',
      n: 1,
      featureShape: [1],
      x: Float64Array.of(n(p, 'x')),
      targetShape: [1],
      y: Float64Array.of(n(p, 'target')),
    }),
  },
  {
    name: 'digits',
    title: 'Handwritten digits (8×8)',
    description: '1,797 images of digits 0–9, 8×8 pixels with values 0–16 (UCI, via scikit-learn).',
    task: 'classification',
    params: {},
    make: (_p, _seed, files) => {
      if (!files.digits) throw new Error('The digits data set is not available here.');
      return files.digits();
    },
  },
];

/** Other names projects use for the same sets, with the settings the name implies. */
export const ALIASES: Readonly<Record<string, { name: string; params?: DatasetParams }>> = {
  spirals: { name: 'spiral' },
  spiral2: { name: 'spiral', params: { classes: 2 } },
  spiral3: { name: 'spiral', params: { classes: 3 } },
  separable: { name: 'linear' },
  'noisy-sine': { name: 'sine' },
};
