// Greedy decoding with a graph trained by teacher forcing on the toy translation task: the graph's
// Input holds the source and the decoder's input side by side, so decoding runs the graph once per
// output step, each time writing the token it just predicted into the decoder's input. The decoder
// is causal (a recurrent layer reading left to right; attention over the encoder only), so the
// prediction at step t depends only on the tokens before it.
import { noGrad } from '../autograd/gradMode';
import { fromTypedArray } from '../tensor/create';
import { tidy } from '../tensor/scope';
import type { CompiledNode, GraphModel, NodeValues } from '../runtime/compile';
import type { Dataset } from './dataset';
import { featureSize, targetSize } from './dataset';
import type { DatasetRef } from '../graph/schema';
import { CATALOG } from './datasetCatalog';
import type { ToyLayout, ToyTask } from './toyTranslation';
import { BOS, EOS, toyLayout, toyVocabulary } from './toyTranslation';

export interface Decoded {
  /** The predicted tokens, up to (without) EOS. */
  readonly tokens: number[];
  /**
   * The attention weights of the graph's (first) attention node: one row per output step (the
   * EOS step included), one column per source position; null in a graph without attention.
   */
  readonly attention: number[][] | null;
}

/** The nodes a graph's scores and attention need, in evaluation order (no Target, no loss). */
function plan(model: GraphModel, lay: ToyLayout): { input: CompiledNode; scores: [string, string]; needed: string[] } {
  const input = model.inputNodes[0];
  const loss = model.lossNodes[0];
  const edge = loss?.inputEdges['input'];
  if (!input || !edge) throw new Error('Decoding needs a graph with an Input and a loss that scores the tokens.');
  const width = input.outputTypes.out.shape.slice(1).reduce((a, b) => a * b, 1);
  if (width !== lay.source + lay.target)
    throw new Error(
      `The Input takes ${width} tokens, but the task needs ${lay.source} source and ${lay.target} decoder positions.`,
    );
  const scores = model.node(edge.source)?.outputTypes[edge.sourcePort]?.shape ?? [];
  if (scores.length !== 3 || scores[1] !== lay.target || scores[2] !== lay.vocab)
    throw new Error(
      `Decoding needs scores N×${lay.target}×${lay.vocab} (a score per token at every decoder step), but the loss scores ${scores.join('×')}.`,
    );
  const needed = new Set<string>([edge.source]);
  for (let i = model.nodes.length - 1; i >= 0; i--) {
    const n = model.nodes[i];
    if (needed.has(n.id)) for (const e of Object.values(n.inputEdges)) needed.add(e.source);
  }
  return {
    input,
    scores: [edge.source, edge.sourcePort],
    needed: model.nodes.filter((n) => needed.has(n.id)).map((n) => n.id),
  };
}

/** The first attention node the scores depend on (an output port named `weights`). */
function attentionNode(model: GraphModel, needed: readonly string[]): string | null {
  for (const id of needed) if (model.node(id)?.outputTypes['weights']) return id;
  return null;
}

/**
 * Greedy decodings of some source words (token ids, at most `lay.source` each), in evaluation
 * mode and without gradients; the model's mode is restored.
 *
 * @example
 * greedyDecode(model, toyLayout(8, 8), [[5, 3, 4]]);   // [{ tokens: [4, 3, 5], attention: [[…], …] }]
 */
export function greedyDecode(model: GraphModel, lay: ToyLayout, sources: readonly (readonly number[])[]): Decoded[] {
  const { input, scores, needed } = plan(model, lay);
  const attn = attentionNode(model, needed);
  const n = sources.length;
  const f = lay.source + lay.target;
  const Arr = model.dtype === 'float32' ? Float32Array : Float64Array;
  const x = new Arr(n * f);
  sources.forEach((s, i) => {
    if (s.length > lay.source)
      throw new Error(`A source has ${s.length} tokens; the task takes at most ${lay.source}.`);
    x.set(s, i * f);
    x[i * f + lay.source] = BOS;
  });
  const out: number[][] = sources.map(() => []);
  const done = new Array<boolean>(n).fill(false);
  let weights: Float64Array | null = null;
  const wasTraining = model.training;
  model.train(false);
  try {
    for (let t = 0; t < lay.target && done.includes(false); t++) {
      const batch = { [input.id]: fromTypedArray(x.slice(), [n, ...input.outputTypes.out.shape.slice(1)]) };
      const [s, w] = tidy(() =>
        noGrad(() => {
          const values: NodeValues = new Map();
          for (const id of needed) values.set(id, model.evaluate(model.node(id)!, values, batch));
          const a = attn === null ? null : Float64Array.from(values.get(attn)!['weights'].data);
          return [Float64Array.from(values.get(scores[0])![scores[1]].data), a] as const;
        }),
      );
      weights = w;
      for (let i = 0; i < n; i++) {
        if (done[i]) continue;
        const row = (i * lay.target + t) * lay.vocab;
        let best = 0;
        for (let k = 1; k < lay.vocab; k++) if (s[row + k] > s[row + best]) best = k;
        if (best === EOS) done[i] = true;
        else {
          out[i].push(best);
          if (t + 1 < lay.target) x[i * f + lay.source + 1 + t] = best;
        }
      }
    }
  } finally {
    model.train(wasTraining);
  }
  return out.map((tokens, i) => ({
    tokens,
    attention:
      weights === null
        ? null
        : Array.from({ length: Math.min(tokens.length + 1, lay.target) }, (_, r) =>
            Array.from(weights!.subarray((i * lay.target + r) * lay.source, (i * lay.target + r + 1) * lay.source)),
          ),
  }));
}

/**
 * The fraction of samples whose greedy decoding is exactly their target word (every token right,
 * and EOS in its place), over the samples `idx` of a toy translation data set.
 *
 * @example
 * sequenceAccuracy(model, toyLayout(8, 8), data.dataset, data.split.test);   // 0.97
 */
export function sequenceAccuracy(model: GraphModel, lay: ToyLayout, ds: Dataset, idx: readonly number[]): number {
  if (idx.length === 0) return NaN;
  const f = featureSize(ds);
  const t = targetSize(ds);
  const word = (arr: Float64Array, at: number, len: number, stop: number): number[] => {
    const w: number[] = [];
    for (let k = 0; k < len && arr[at + k] !== stop; k++) w.push(arr[at + k]);
    return w;
  };
  let right = 0;
  for (let s = 0; s < idx.length; s += 256) {
    const part = idx.slice(s, s + 256);
    const decoded = greedyDecode(
      model,
      lay,
      part.map((i) => word(ds.x, i * f, lay.source, 0)),
    );
    part.forEach((i, k) => {
      const want = word(ds.y, i * t, t, EOS);
      const got = decoded[k].tokens;
      if (got.length === want.length && got.every((v, j) => v === want[j])) right++;
    });
  }
  return right / idx.length;
}

/** A project's toy translation task: its layout, alphabet and what it does to a word. */
export interface TranslationTask {
  readonly layout: ToyLayout;
  readonly letters: number;
  readonly task: ToyTask;
  /** Printable token names, by id. */
  readonly vocabulary: readonly string[];
}

/**
 * The toy translation task a project's data set names, with the catalog's defaults for what it
 * leaves out; null when the data set is not the toy translation task.
 *
 * @example
 * translationTask({ name: 'translate', params: { length: 6 } })?.layout;   // { source: 6, target: 7, vocab: 11 }
 */
export function translationTask(ref: DatasetRef): TranslationTask | null {
  const entry = CATALOG.find((e) => e.name === 'translate');
  if (ref.name !== 'translate' || !entry) return null;
  const p = { ...entry.params, ...(ref.params ?? {}) };
  const letters = Number(p.letters);
  return {
    layout: toyLayout(Number(p.length), letters),
    letters,
    task: p.task as ToyTask,
    vocabulary: toyVocabulary(letters),
  };
}
