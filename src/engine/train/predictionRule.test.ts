import { describe, expect, it } from 'vitest';
import { tensor } from '../tensor/create';
import type { PortKind } from '../graph/nodeType';
import { e, n } from '../graph/testGraphs.test-support';
import type { NodeValues } from '../runtime/compile';
import { compileGraph } from '../runtime/compile';
import { countCorrect, predictLabels, predictionRule } from './predictionRule';

const labels = (loss: string, kind: PortKind, scores: number[], shape = [scores.length]) =>
  Array.from(predictLabels(tensor(scores, shape), predictionRule(loss, kind)!).data);

describe('predictionRule: one definition of the predicted label per loss and label kind', () => {
  it('0/1 labels regressed by MSE or L1 predict 1 from a score of 0.5 (the midpoint of the targets), not from 0', () => {
    for (const loss of ['MSELoss', 'L1Loss']) {
      expect(labels(loss, 'binary-labels', [0.49, 0.5, 0.2, 0, -0.1, 0.7])).toEqual([0, 1, 0, 0, 0, 1]);
    }
  });

  it('0/1 labels with a logit or margin loss predict 1 from a score of exactly 0 (σ(0) = 0.5, the Threshold node)', () => {
    for (const loss of ['BCEWithLogitsLoss', 'HingeLoss01']) {
      expect(labels(loss, 'binary-labels', [0, -1e-7, 0.3, -2])).toEqual([1, 0, 1, 0]);
    }
  });

  it('±1 labels predict sign(score) with 0 → +1, as the Sign node, for every loss', () => {
    for (const loss of ['HingeLoss', 'LogisticLoss', 'PerceptronLoss', 'MSELoss', 'L1Loss']) {
      expect(labels(loss, 'pm1-labels', [0, -1e-7, 0.4, -3])).toEqual([1, -1, 1, -1]);
    }
  });

  it('class labels predict the argmax, ties to the first class; regression predicts no label', () => {
    expect(labels('CrossEntropyLoss', 'class-labels', [1, 1, 0, 0, 2, 2], [2, 3])).toEqual([0, 1]);
    expect(predictionRule('MSELoss', 'real-targets')).toBeNull();
  });

  it('counts correct labels from the scores on the loss input and the labels on its target', () => {
    const c = compileGraph({
      nodes: [
        n('x', 'Input', { shape: [1] }),
        n('y', 'Target', { kind: 'binary-labels', shape: [1] }),
        n('loss', 'MSELoss'),
      ],
      edges: [e('x', 'loss'), e('y', 'loss', 'target')],
    });
    if (!c.ok) throw new Error(c.issues[0].message);
    // Scores 0.3 and 0.6 against labels 1, 1: only the second reaches 0.5.
    const values: NodeValues = new Map([
      ['x', { out: tensor([0.3, 0.6], [2, 1]) }],
      ['y', { out: tensor([1, 1], [2, 1]) }],
    ]);
    expect(countCorrect(c.model.lossNodes[0], values)).toEqual({ correct: 1, count: 2 });
  });
});
