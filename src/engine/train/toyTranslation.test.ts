import { describe, expect, it } from 'vitest';
import { e, n } from '../graph/testGraphs.test-support';
import { compileGraph } from '../runtime/compile';
import { resolveDataset } from './datasets';
import { greedyDecode, translationTask } from './greedyDecode';
import { BOS, EOS, PAD, encodeToySource, toyLayout, toyTranslation, toyVocabulary } from './toyTranslation';

describe('toy translation data', () => {
  it('packs the source, the decoder input (BOS + target) and the labels (target + EOS), padded with 0', () => {
    const ds = toyTranslation(50, { length: 6, minLength: 2, letters: 5, task: 'reverse', seed: 3 });
    expect(ds).toMatchObject({ featureShape: [13], targetShape: [7], numClasses: 8, task: 'classification' });
    for (let i = 0; i < ds.n; i++) {
      const x = Array.from(ds.x.subarray(i * 13, i * 13 + 13));
      const y = Array.from(ds.y.subarray(i * 7, i * 7 + 7));
      const word = x.slice(0, 6).filter((v) => v !== PAD);
      expect(word.length).toBeGreaterThanOrEqual(2);
      expect(word.every((v) => v >= 3 && v < 8)).toBe(true);
      expect(x.slice(0, 6)).toEqual([...word, ...new Array<number>(6 - word.length).fill(PAD)]);
      const rev = [...word].reverse();
      expect(x.slice(6)).toEqual([BOS, ...rev, ...new Array<number>(6 - word.length).fill(PAD)]);
      expect(y).toEqual([...rev, EOS, ...new Array<number>(6 - word.length).fill(PAD)]);
    }
    const copy = toyTranslation(5, { length: 4, task: 'copy', seed: 1, minLength: 4 });
    expect(Array.from(copy.y.subarray(0, 4))).toEqual(Array.from(copy.x.subarray(0, 4)));
  });

  it('is in the catalog with its settings, and reads typed words over its alphabet', () => {
    const ds = resolveDataset({ name: 'translate', params: { n: 20 } }, 1);
    expect(ds).toMatchObject({ n: 20, featureShape: [17], targetShape: [9], numClasses: 11 });
    const t = translationTask({ name: 'translate', params: { length: 5 } })!;
    expect(t.layout).toEqual(toyLayout(5, 8));
    expect(t.vocabulary).toEqual(toyVocabulary(8));
    expect(translationTask({ name: 'xor', params: {} })).toBeNull();
    expect(encodeToySource('C a b', 8, 8)).toEqual([5, 3, 4]);
    expect(() => encodeToySource('cat', 8, 8)).toThrow(/"t" is not a letter/);
    expect(() => encodeToySource('abcdef', 8, 5)).toThrow(/at most 5/);
    expect(() => encodeToySource('  ', 8, 5)).toThrow(/Type a source word/);
  });
});

describe('greedy decoding', () => {
  // A causal network over the whole packed sample (Embedding → GRU → Linear) scores 9 positions,
  // not the 5 decoder steps: decoding refuses it rather than reading the wrong rows.
  const lay = toyLayout(4, 3);
  const graph = {
    nodes: [
      n('x', 'Input', { shape: [lay.source + lay.target], kind: 'indices' }),
      n('emb', 'Embedding', { num_embeddings: lay.vocab, embedding_dim: 4 }),
      n('rnn', 'GRU', { hidden_size: 6 }),
      n('fc', 'Linear', { out_features: lay.vocab }),
      n('y', 'Target', { kind: 'class-labels', shape: [lay.source + lay.target] }),
      n('loss', 'CrossEntropyLoss', { ignore_index: 0 }),
    ],
    edges: [
      e('x', 'emb'),
      e('emb', 'rnn'),
      e('rnn', 'fc', 'input', 'output'),
      e('fc', 'loss'),
      e('y', 'loss', 'target'),
    ],
  };

  it('refuses a graph whose scores are not one per decoder step', () => {
    const c = compileGraph(graph, { seed: 1, dtype: 'float64' });
    expect(c.ok ? [] : c.issues.map((i) => i.message)).toEqual([]);
    if (!c.ok) return;
    expect(() => greedyDecode(c.model, lay, [[3, 4]])).toThrow(/scores N×5×6/);
  });
});
