import { describe, expect, it } from 'vitest';
import { tensor } from '../tensor/create';
import { e, n } from '../graph/testGraphs.test-support';
import type { TapeRecord } from '../autograd/tape';
import { compileGraph } from './compile';
import { StepSession } from './stepSession';

/** x → fc (8) → drop (p) → out (1) → MSE ← y, in float64. */
function session(p: number): StepSession {
  const r = compileGraph(
    {
      nodes: [
        n('x', 'Input', { shape: [3] }),
        n('fc', 'Linear', { out_features: 8 }),
        n('drop', 'Dropout', { p }),
        n('out', 'Linear', { out_features: 1 }),
        n('y', 'Target', { kind: 'real-targets', shape: [1] }),
        n('loss', 'MSELoss'),
      ],
      edges: [e('x', 'fc'), e('fc', 'drop'), e('drop', 'out'), e('out', 'loss'), e('y', 'loss', 'target')],
    },
    { dtype: 'float64', seed: 7 },
  );
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  const s = new StepSession(r.model);
  s.loadBatch({
    x: tensor([0.5, -1, 2, 1.5, 0.25, -0.75, -2, 1, 0.1, 0.3, 0.6, -0.9], [4, 3], { dtype: 'float64' }),
    y: tensor([1, -1, 0.5, 2], [4, 1], { dtype: 'float64' }),
  });
  return s;
}

describe('the dropout mask of a step', () => {
  it('is the mask the engine multiplied by: kept units scaled by 1/(1 − p), the rest 0', () => {
    const s = session(0.5);
    s.forwardStep(); // x
    s.forwardStep(); // fc
    expect(s.dropoutMask('drop')).toBeUndefined(); // not run yet
    s.forwardStep(); // drop
    const mask = s.dropoutMask('drop')!;
    expect(mask.shape).toEqual([4, 8]);
    const values = new Set(Array.from(mask.data));
    expect([...values].every((v) => v === 0 || v === 2)).toBe(true);
    expect(values.size).toBe(2);
    // On the tape: the node's output is the input times exactly this mask.
    const out = s.nodeOutput('drop', 'out')!;
    const rec = out.creator as TapeRecord;
    expect(rec.kernelName).toBe('Mul');
    expect(rec.inputs[1]).toBe(mask);
    const input = s.nodeOutput('fc', 'out')!;
    for (let i = 0; i < out.size; i++) expect(out.data[i]).toBe(input.data[i] * mask.data[i]);
    expect(s.dropoutMask('fc')).toBeUndefined();
  });

  it('is drawn anew at every pass', () => {
    const s = session(0.5);
    s.runForward();
    const first = Array.from(s.dropoutMask('drop')!.data);
    s.runBackward();
    s.runForward();
    const second = Array.from(s.dropoutMask('drop')!.data);
    expect(second).not.toEqual(first);
  });

  it('is absent in evaluation mode, where dropout passes its input through', () => {
    const s = session(0.5);
    s.runForward();
    expect(s.dropoutMask('drop')).toBeDefined();
    s.setTraining(false);
    expect(s.phase).toBe('ready');
    s.runForward();
    expect(s.dropoutMask('drop')).toBeUndefined();
    expect(Array.from(s.nodeOutput('drop', 'out')!.data)).toEqual(Array.from(s.nodeOutput('fc', 'out')!.data));
    s.setTraining(true);
    s.runForward();
    expect(s.dropoutMask('drop')).toBeDefined();
  });
});
