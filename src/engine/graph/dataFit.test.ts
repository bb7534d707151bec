import { describe, expect, it } from 'vitest';
import type { DataDescription } from './dataFit';
import { dataFitOffer, dataFitProblem } from './dataFit';

const digits: DataDescription = {
  name: 'digits',
  task: 'classification',
  featureShape: [1, 8, 8],
  targetShape: [],
  numClasses: 10,
};
const sine: DataDescription = { name: 'sine', task: 'regression', featureShape: [1], targetShape: [1] };
const moons: DataDescription = {
  name: 'moons',
  task: 'classification',
  featureShape: [2],
  targetShape: [],
  numClasses: 2,
};
const input = (shape: number[]) => ({ id: 'x', out: { shape: [-1, ...shape], kind: 'tensor' as const } });
const target = (kind: 'class-labels' | 'binary-labels' | 'real-targets', shape: number[] = []) => ({
  id: 'y',
  out: { shape: [-1, ...shape], kind },
});

describe('dataFitProblem', () => {
  it('names the Input whose size is not the data set’s', () => {
    expect(dataFitProblem([input([2])], [target('class-labels')], digits)).toEqual({
      nodeId: 'x',
      message: 'Input "x" takes 2 = 2 features, but the data set "digits" has 64 (1×8×8)',
    });
  });
  it('accepts any shape of the right size, and flags the Target’s kind', () => {
    expect(dataFitProblem([input([64])], [target('class-labels')], digits)).toBeNull();
    expect(dataFitProblem([input([1, 8, 8])], [], digits)).toBeNull();
    expect(dataFitProblem([input([64])], [target('binary-labels', [1])], digits)?.message).toMatch(
      /has 10 classes, but Target "y" expects binary labels/,
    );
    expect(dataFitProblem([input([1])], [target('class-labels')], sine)?.nodeId).toBe('y');
    expect(dataFitProblem([], [], sine)?.message).toMatch(/exactly one Input node, but the graph has 0/);
  });
});

describe('dataFitOffer', () => {
  it('flattens for a flat Input and keeps C×H×W for a shaped one', () => {
    expect(dataFitOffer([2], { kind: 'binary-labels', shape: [1] }, digits)).toEqual({
      inputShape: [64],
      targetKind: 'class-labels',
      targetShape: [],
      outputs: 10,
    });
    expect(dataFitOffer([3, 28, 28], null, digits).inputShape).toEqual([1, 8, 8]);
  });
  it('keeps an Input of the right size in its own shape: a CNN’s 1×8×8 on the flat 64 pixels', () => {
    const flatDigits = { ...digits, featureShape: [64] };
    expect(dataFitOffer([1, 8, 8], { kind: 'class-labels', shape: [] }, flatDigits).inputShape).toEqual([1, 8, 8]);
    expect(dataFitOffer([8, 8], null, flatDigits).inputShape).toEqual([8, 8]);
  });
  it('keeps binary labels on a two-class set and asks for real targets on a regression', () => {
    expect(dataFitOffer([64], { kind: 'binary-labels', shape: [1] }, moons)).toMatchObject({
      inputShape: [2],
      targetKind: 'binary-labels',
      outputs: 1,
    });
    expect(dataFitOffer([2], { kind: 'class-labels', shape: [] }, moons).outputs).toBe(2);
    expect(dataFitOffer([2], null, sine)).toEqual({
      inputShape: [1],
      targetKind: 'real-targets',
      targetShape: [1],
      outputs: 1,
    });
  });
  it('gives a sequence set one class index per position, so a seq2seq graph that fits is offered nothing', () => {
    const words: DataDescription = {
      name: 'translate',
      task: 'classification',
      featureShape: [13],
      targetShape: [7],
      numClasses: 11,
    };
    expect(dataFitOffer([13], { kind: 'class-labels', shape: [7] }, words)).toEqual({
      inputShape: [13],
      targetKind: 'class-labels',
      targetShape: [7],
      outputs: 11,
    });
  });
  // Each offer fits by the same check the runtime makes.
  it('offers what the check accepts', () => {
    for (const d of [digits, sine, moons, { ...digits, name: 'bits', targetShape: [6] }]) {
      const o = dataFitOffer([5], { kind: 'pm1-labels', shape: [1] }, d);
      const t = { id: 'y', out: { shape: [-1, ...o.targetShape], kind: o.targetKind } };
      expect(dataFitProblem([input([...o.inputShape])], [t], d)).toBeNull();
    }
  });
});
