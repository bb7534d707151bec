import { describe, expect, it } from 'vitest';
import { layerGradNorms, layerOf, logDomain } from './gradNorms';

const grad = (l2: number, nanCount = 0) => ({ l2, nanCount, infCount: 0 });

describe('per-layer gradient norms', () => {
  it('groups parameters by node id and combines their norms', () => {
    const layers = layerGradNorms([
      { name: 'fc1.weight', grad: grad(3) },
      { name: 'fc1.bias', grad: grad(4) },
      { name: 'fc2.weight', grad: grad(1e-9) },
    ]);
    expect(layers.map((l) => l.layer)).toEqual(['fc1', 'fc2']);
    expect(layers[0]!.norm).toBeCloseTo(5, 12);
    expect(layers[0]!.params.map((p) => p.name)).toEqual(['fc1.weight', 'fc1.bias']);
    expect(layers[0]!.status).toBe('ok');
    expect(layers[1]!.status).toBe('vanishing');
  });

  it('flags a layer with any non-finite gradient, and exploding norms', () => {
    expect(layerGradNorms([{ name: 'a.w', grad: grad(1, 1) }])[0]!.status).toBe('nonfinite');
    expect(
      layerGradNorms([
        { name: 'a.w', grad: grad(800) },
        { name: 'a.b', grad: grad(800) },
      ])[0]!.status,
    ).toBe('exploding');
  });

  it('names layers by the part before the first dot', () => {
    expect(layerOf('rnn.weight_ih_l0')).toBe('rnn');
    expect(layerOf('w')).toBe('w');
  });

  it('spans at least two decades on a log axis', () => {
    expect(logDomain([0.5])).toEqual([-1, 1]);
    expect(logDomain([1e-6, 20])).toEqual([-6, 2]);
    expect(logDomain([0])).toEqual([-8, 0]);
  });

  it('keeps the threshold a flagged bar crossed on the axis, a decade inside it', () => {
    // Every norm above 1e3: the axis still starts at 1e2, so the 1e3 line is drawn.
    expect(logDomain([6.2e4, 2.8e4])).toEqual([2, 5]);
    // Every norm below 1e-7: the axis still reaches 1e-6.
    expect(logDomain([3e-10, 2e-9])).toEqual([-10, -6]);
    // Norms that straddle nothing keep their own range.
    expect(logDomain([2e-3, 5e-1])).toEqual([-3, 0]);
  });
});
