// The toy translation task of the seq2seq examples: short words over a small alphabet, to be
// copied or reversed. One sample packs what an encoder–decoder trained with teacher forcing reads:
// the source word (padded) followed by the decoder's input (BOS and the target word, shifted right);
// its labels are the target word followed by EOS, padded. Padding is token 0, which the examples'
// cross-entropy ignores (ignore_index 0).
import { Rng } from '../tensor/rng';
import type { Dataset } from './dataset';

/** Token ids shared by source and target. */
export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
/** The first letter's id: letter k of the alphabet is token FIRST_LETTER + k. */
export const FIRST_LETTER = 3;
const SPECIALS = ['·', '<s>', '</s>'] as const;

export type ToyTask = 'reverse' | 'copy';
export const TOY_TASKS: readonly ToyTask[] = ['reverse', 'copy'];

export interface ToyTranslationOptions {
  seed?: number;
  /** The longest source word; every sample has room for it (default 8). */
  length?: number;
  /** The shortest source word (default 3). */
  minLength?: number;
  /** How many letters the alphabet has, from 'a' (default 8, at most 26). */
  letters?: number;
  task?: ToyTask;
}

/** How a sample of the task is laid out; derived from `length` alone. */
export interface ToyLayout {
  /** Source positions (the longest word). */
  readonly source: number;
  /** Decoder positions: the longest word and EOS. */
  readonly target: number;
  /** Vocabulary size: PAD, BOS, EOS and the letters. */
  readonly vocab: number;
}

export function toyLayout(length: number, letters: number): ToyLayout {
  return { source: length, target: length + 1, vocab: FIRST_LETTER + letters };
}

/** The printable name of each token id, e.g. ['·', '<s>', '</s>', 'a', 'b', …]. */
export function toyVocabulary(letters: number): string[] {
  return [...SPECIALS, ...Array.from({ length: letters }, (_, k) => String.fromCharCode(97 + k))];
}

/** What the task makes of a source word. */
export function toyTarget(word: readonly number[], task: ToyTask): number[] {
  return task === 'reverse' ? [...word].reverse() : [...word];
}

function checkWhole(v: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(v) || v < min || v > max)
    throw new Error(`toyTranslation: ${what} must be a whole number from ${min} to ${max}, got ${v}.`);
}

/**
 * `n` random words of `minLength`…`length` letters and what the task makes of them.
 * featureShape [2·length + 1]: the source padded to `length`, then BOS, the target and padding;
 * targetShape [length + 1]: the target, EOS, padding. Classes are the vocabulary's tokens.
 *
 * @example
 * const ds = toyTranslation(1000, { task: 'reverse', length: 6, seed: 1 });
 * // x[0..]: 5 3 4 0 0 0 | 1 4 3 5 0 0 0   y[0..]: 4 3 5 2 0 0 0   ("cab" → "bac")
 */
export function toyTranslation(n: number, opts: ToyTranslationOptions = {}): Dataset {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`toyTranslation: the number of samples must be a positive integer, got ${n}.`);
  const len = opts.length ?? 8;
  const minLen = opts.minLength ?? 3;
  const letters = opts.letters ?? 8;
  const task = opts.task ?? 'reverse';
  checkWhole(len, 1, 64, 'length');
  checkWhole(minLen, 1, len, 'minLength');
  checkWhole(letters, 2, 26, 'letters');
  const rng = new Rng(opts.seed ?? 0);
  const lay = toyLayout(len, letters);
  const f = lay.source + lay.target;
  const x = new Float64Array(n * f);
  const y = new Float64Array(n * lay.target);
  for (let i = 0; i < n; i++) {
    const m = minLen + rng.int(len - minLen + 1);
    const word = Array.from({ length: m }, () => FIRST_LETTER + rng.int(letters));
    const out = toyTarget(word, task);
    x.set(word, i * f);
    x[i * f + lay.source] = BOS;
    x.set(out, i * f + lay.source + 1);
    y.set([...out, EOS], i * lay.target);
  }
  return {
    name: `translate-${task}`,
    task: 'classification',
    n,
    featureShape: [f],
    x,
    targetShape: [lay.target],
    y,
    numClasses: lay.vocab,
  };
}

/**
 * The token ids of a typed source word: letters of the alphabet, spaces ignored. Throws a sentence
 * naming the first character that is not a letter of the alphabet, or when the word is too long.
 *
 * @example
 * encodeToySource('c a b', 8, 8);   // [5, 3, 4]
 */
export function encodeToySource(text: string, letters: number, length: number): number[] {
  const vocab = toyVocabulary(letters);
  const ids: number[] = [];
  for (const ch of text.toLowerCase()) {
    if (/\s/.test(ch)) continue;
    const k = vocab.indexOf(ch);
    if (k < FIRST_LETTER)
      throw new Error(`"${ch}" is not a letter of this task's alphabet (${vocab.slice(FIRST_LETTER).join(' ')}).`);
    ids.push(k);
  }
  if (ids.length === 0) throw new Error('Type a source word: letters of the alphabet, e.g. "cab".');
  if (ids.length > length) throw new Error(`The source has ${ids.length} letters; this task takes at most ${length}.`);
  return ids;
}
