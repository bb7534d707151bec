import { describe, expect, it } from 'vitest';
import { stepBars } from './stepBars';
import { selectedRecurrent, unrollTarget } from './recurrentNodes';

describe('per-step gradient bars', () => {
  it('are drawn on a log axis of whole decades, a zero norm as no bar', () => {
    const { bars, domain } = stepBars([1e-3, 1e-2, 0.1, 1]);
    expect(domain).toEqual([-3, 0]);
    expect(bars.map((b) => b.height)).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(bars.map((b) => b.ratio)).toEqual([1e-3, 1e-2, 0.1, 1]);
    expect(stepBars([0, 0.5]).bars[0].height).toBe(0);
    // A step whose gradient is not final yet has no bar, and does not move the axis.
    const partial = stepBars([null, null, 0.01, 1]);
    expect(partial.domain).toEqual([-2, 0]);
    expect(partial.bars.map((b) => b.norm)).toEqual([null, null, 0.01, 1]);
    expect(partial.bars.map((b) => b.height)).toEqual([0, 0, 0, 1]);
  });

  it('keep a shrinking gradient visible as shorter bars, in order', () => {
    const h = stepBars([0.0006, 0.0009, 0.0018, 0.0049, 0.011, 0.033, 0.068, 0.12, 0.43]).bars.map((b) => b.height);
    for (let t = 1; t < h.length; t++) expect(h[t]).toBeGreaterThan(h[t - 1]);
    expect(h[0]).toBeGreaterThan(0);
  });
});

describe('the node Unroll Through Time opens', () => {
  const doc = (types: string[]) =>
    ({
      graph: {
        nodes: types.map((type, i) => ({ id: `n${i}`, type, params: {}, position: { x: 0, y: 0 } })),
        edges: [],
      },
    }) as never;
  it('is the selected recurrent node, else the only one', () => {
    expect(unrollTarget({ doc: doc(['Input', 'LSTM', 'GRU']), selection: { nodes: ['n2'], edges: [] } })).toBe('n2');
    expect(unrollTarget({ doc: doc(['Input', 'RNN', 'Linear']), selection: { nodes: [], edges: [] } })).toBe('n1');
    expect(unrollTarget({ doc: doc(['Input', 'LSTM', 'GRU']), selection: { nodes: [], edges: [] } })).toBeNull();
    expect(unrollTarget({ doc: doc(['Input', 'Linear']), selection: { nodes: ['n1'], edges: [] } })).toBeNull();
    // The context menu offers it only on the recurrent node itself.
    expect(selectedRecurrent({ doc: doc(['Linear', 'RNN']), selection: { nodes: ['n0'], edges: [] } })).toBeNull();
    expect(selectedRecurrent({ doc: doc(['Linear', 'RNN']), selection: { nodes: ['n1'], edges: [] } })).toBe('n1');
  });
});
