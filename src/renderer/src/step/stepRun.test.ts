import { describe, expect, it } from 'vitest';
import type { TensorSummary } from '../../../shared/api/tensor';
import { clearPass, forwardStartsNewPass, passOf, withEdgeTensors, withParamTensors, withState } from './stepRun';
import { initialStepRun } from './stepTypes';

function summary(v: number): TensorSummary {
  return {
    shape: [1],
    dtype: 'float32',
    min: v,
    max: v,
    mean: v,
    std: 0,
    l2: Math.abs(v),
    nanCount: 0,
    infCount: 0,
    preview: { shape: [1], values: [v] },
    histogram: { min: v, max: v, counts: [1] },
  };
}

describe('step run reducers', () => {
  it('stores activations and gradients per edge without losing the other kind', () => {
    let run = withEdgeTensors(initialStepRun(), 'activation', { e1: summary(1), e2: summary(2) });
    run = withEdgeTensors(run, 'gradient', { e1: summary(-1) });
    expect(run.edges.e1!.activation!.mean).toBe(1);
    expect(run.edges.e1!.gradient!.mean).toBe(-1);
    expect(run.edges.e2!.gradient).toBeUndefined();
    run = withEdgeTensors(run, 'gradient', { e1: null });
    expect(run.edges.e1).toEqual({ activation: summary(1) });
  });

  it('keeps the other edges as the same objects, so their glyphs do not repaint', () => {
    const a = withEdgeTensors(initialStepRun(), 'activation', { e1: summary(1), e2: summary(2) });
    const b = withEdgeTensors(a, 'activation', { e2: summary(3) });
    expect(b.edges.e1).toBe(a.edges.e1);
    expect(b.edges.e2).not.toBe(a.edges.e2);
    expect(withEdgeTensors(a, 'activation', {})).toBe(a);
  });

  it('clears a pass but keeps parameter values', () => {
    let run = withEdgeTensors(initialStepRun(), 'activation', { e1: summary(1) });
    run = withParamTensors(run, 'value', { 'fc1.weight': summary(0.5) });
    run = withParamTensors(run, 'gradient', { 'fc1.weight': summary(0.1), 'fc1.bias': summary(0.2) });
    run = withState(run, { phase: 'backwarded', currentNode: 'x', loss: 0.7, step: 0 }, null);
    const cleared = clearPass(run);
    expect(cleared.edges).toEqual({});
    expect(cleared.params).toEqual({ 'fc1.weight': { value: summary(0.5) } });
    expect(cleared.loss).toBeNull();
    expect(cleared.steppingNode).toBeNull();
  });

  it("puts back a cleared pass whole from what passOf kept (time travel's Now)", () => {
    let run = withEdgeTensors(initialStepRun(), 'activation', { e1: summary(1) });
    run = withParamTensors(run, 'gradient', { 'fc1.weight': summary(0.1) });
    const report = { direction: 'backward' as const, nodeId: 'loss', index: 1, total: 4, edges: ['e1'] };
    run = {
      ...withState(run, { phase: 'backwarded', currentNode: 'x', loss: 0.7, step: 0 }, report),
      previewPass: true,
    };
    const kept = passOf(run);
    expect({ ...clearPass(run), ...kept }).toEqual(run);
  });

  it('takes the highlighted node from the report, else from the session', () => {
    const report = { direction: 'forward' as const, nodeId: 'fc1', index: 1, total: 4, edges: ['e2'] };
    const run = withState(initialStepRun(), { phase: 'forward', currentNode: 'x', loss: null, step: 0 }, report);
    expect(run.steppingNode).toBe('fc1');
    expect(run.lastReport).toBe(report);
    expect(withState(run, { phase: 'ready', currentNode: null, loss: null, step: 1 }).steppingNode).toBeNull();
  });

  it('knows which phases start a new pass', () => {
    expect(forwardStartsNewPass('backwarded')).toBe(true);
    expect(forwardStartsNewPass('forward')).toBe(false);
  });
});
