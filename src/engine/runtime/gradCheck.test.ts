import { describe, expect, it } from 'vitest';
import { newProject } from '../graph/schema';
import type { Project } from '../graph/schema';
import { xorGraph } from '../graph/testGraphs.test-support';
import { tensor } from '../tensor/create';
import { compileProject } from './compile';
import { checkGraphGradient } from './gradCheck';
import { StepSession } from './stepSession';

const project: Project = { ...newProject('XOR'), graph: xorGraph() };
const batch = {
  x: tensor(
    [
      [0.2, -1.1],
      [0.9, 0.4],
      [-0.5, 0.3],
    ],
    undefined,
    { dtype: 'float64' },
  ),
  y: tensor([[1], [0], [1]], undefined, { dtype: 'float64' }),
};

/** Backprop's gradients of the XOR graph in float64, stepped by the session. */
function backprop(): { session: StepSession; model: ReturnType<typeof compileProject> } {
  const model = compileProject(project, { dtype: 'float64' });
  const session = new StepSession(model, undefined);
  session.loadBatch(batch);
  session.runForward();
  session.runBackward();
  return { session, model };
}

describe('checkGraphGradient', () => {
  it('agrees with backprop at parameters and edges, and catches a wrong gradient', () => {
    const { session, model } = backprop();
    const w = session.parameterGradient('fc1.weight')!.data;
    const param = checkGraphGradient(project, model, batch, { type: 'parameter', name: 'fc1.weight' }, w, 6)!;
    expect(param.entries).toHaveLength(6);
    expect(param.maxRelError).toBeLessThan(1e-6);
    const edgeId = project.graph.edges.find((e) => e.source === 'fc1')!.id;
    const g = session.gradient(edgeId)!.data;
    const edge = checkGraphGradient(project, model, batch, { type: 'edge', edgeId }, g, 64)!;
    expect(edge.entries).toHaveLength(g.length);
    expect(edge.maxRelError).toBeLessThan(1e-6);
    // A gradient off by 10% in one entry is found there.
    const wrong = Float64Array.from(w);
    wrong[3] *= 1.1;
    const bad = checkGraphGradient(project, model, batch, { type: 'parameter', name: 'fc1.weight' }, wrong, 64)!;
    expect(bad.entries.find((e) => e.index === 3)!.relError).toBeGreaterThan(0.05);
    expect(bad.entries.filter((e) => e.index !== 3).every((e) => e.relError < 1e-6)).toBe(true);
  });

  it('is undefined for an edge or a parameter the model does not have', () => {
    const { model } = backprop();
    expect(checkGraphGradient(project, model, batch, { type: 'edge', edgeId: 'nope' }, [0])).toBeUndefined();
    expect(checkGraphGradient(project, model, batch, { type: 'parameter', name: 'nope' }, [0])).toBeUndefined();
  });
});
