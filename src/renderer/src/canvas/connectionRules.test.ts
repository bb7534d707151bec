import { describe, expect, it } from 'vitest';
import { analyze } from '../state/analysis';
import { emptyDoc } from '../state/docModel';
import { addNode, connect } from '../state/graphOps';
import { connectionProblem } from './connectionRules';

function doc() {
  let d = emptyDoc();
  for (const [type, params] of [
    ['Input', { shape: [2] }],
    ['Linear', { out_features: 1 }],
    ['Tanh', {}],
    ['Target', { kind: 'binary-labels', shape: [1] }],
    ['BCEWithLogitsLoss', {}],
  ] as const) {
    d = addNode(d, type, { ...params }, { x: 0, y: 0 }).doc;
  }
  d = connect(d, { source: 'input1', sourcePort: 'out', target: 'linear1', targetPort: 'input' }).doc;
  d = connect(d, { source: 'linear1', sourcePort: 'out', target: 'tanh1', targetPort: 'input' }).doc;
  return d;
}

const check = (d: ReturnType<typeof doc>, source: string, sourceHandle: string, target: string, targetHandle: string) =>
  connectionProblem(d, analyze(d), { source, sourceHandle, target, targetHandle });

describe('connectionProblem', () => {
  it('accepts a tensor into a layer and labels into a loss target', () => {
    const d = doc();
    expect(check(d, 'tanh1', 'out', 'bcewithlogitsloss1', 'input')).toBeNull();
    expect(check(d, 'target1', 'out', 'bcewithlogitsloss1', 'target')).toBeNull();
  });

  it('refuses labels where a tensor is expected, naming both ends', () => {
    const msg = check(doc(), 'target1', 'out', 'tanh1', 'input');
    expect(msg).toMatch(/Tanh "tanh1" takes .* on its input port, but Target "target1" gives 0\/1 labels/);
  });

  it('refuses a tensor on a loss target that wants labels', () => {
    expect(check(doc(), 'linear1', 'out', 'bcewithlogitsloss1', 'target')).toMatch(/takes .*labels/);
  });

  it('refuses self-loops and cycles', () => {
    const d = doc();
    expect(check(d, 'linear1', 'out', 'linear1', 'input')).toMatch(/own input/);
    expect(check(d, 'tanh1', 'out', 'linear1', 'input')).toMatch(/loop/);
  });

  it('allows a shape mismatch (the node shows it) but not a missing port', () => {
    const d = doc();
    expect(check(d, 'linear1', 'out', 'tanh1', 'nope')).toMatch(/input port/);
  });
});
