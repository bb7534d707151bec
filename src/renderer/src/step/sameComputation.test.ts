import { describe, expect, it } from 'vitest';
import { newProject } from '../../../engine/graph/schema';
import type { GraphDoc } from '../state/docModel';
import { sameComputation } from './sameComputation';

function doc(): GraphDoc {
  const d = newProject('t');
  return {
    ...d,
    graph: {
      nodes: [
        { id: 'x', type: 'Input', params: { shape: [2] }, position: { x: 0, y: 0 } },
        { id: 'fc1', type: 'Linear', params: { out_features: 8 }, position: { x: 100, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'x', sourcePort: 'out', target: 'fc1', targetPort: 'input' }],
    },
  } as GraphDoc;
}

describe('sameComputation', () => {
  it('ignores positions and labels', () => {
    const a = doc();
    const b = {
      ...a,
      graph: {
        ...a.graph,
        nodes: a.graph.nodes.map((n) => ({ ...n, position: { x: n.position.x + 50, y: 7 }, label: 'moved' })),
      },
    };
    expect(sameComputation(a, b)).toBe(true);
  });

  it('notices parameter, wiring, node and training changes', () => {
    const a = doc();
    const params = {
      ...a,
      graph: {
        ...a.graph,
        nodes: a.graph.nodes.map((n) => (n.id === 'fc1' ? { ...n, params: { out_features: 4 } } : n)),
      },
    };
    expect(sameComputation(a, params)).toBe(false);
    const rewired = { ...a, graph: { ...a.graph, edges: [{ ...a.graph.edges[0]!, targetPort: 'other' }] } };
    expect(sameComputation(a, rewired)).toBe(false);
    const fewer = { ...a, graph: { ...a.graph, nodes: a.graph.nodes.slice(1) } };
    expect(sameComputation(a, fewer)).toBe(false);
    const lr = { ...a, training: { ...a.training, optimizer: { ...a.training.optimizer, lr: 0.5 } } };
    expect(sameComputation(a, lr)).toBe(false);
  });
});
