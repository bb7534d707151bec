import { describe, expect, it } from 'vitest';
import type { Graph } from './schema';
import { e, n, xorGraph } from './testGraphs.test-support';
import type { IssueCode } from './validate';
import { validateGraph } from './validate';

function only(graph: Graph, code: IssueCode) {
  const a = validateGraph(graph);
  const found = a.issues.filter((i) => i.code === code);
  expect(found.length, JSON.stringify(a.issues)).toBeGreaterThan(0);
  expect(a.valid).toBe(false);
  return { a, found };
}

describe('validateGraph', () => {
  it('accepts the XOR network and infers every edge shape', () => {
    const a = validateGraph(xorGraph());
    expect(a.issues).toEqual([]);
    expect(a.valid).toBe(true);
    expect(a.order).toEqual(['x', 'fc1', 'act1', 'fc2', 'y', 'loss']);
    expect(a.edgeTypes['x.out->fc1.input']).toEqual({ shape: [-1, 2], kind: 'tensor' });
    expect(a.edgeTypes['fc2.out->loss.input']).toEqual({ shape: [-1, 1], kind: 'tensor' });
    expect(a.losses).toEqual(['loss']);
  });

  it('ignores a stray node with a warning instead of blocking the network that feeds the loss', () => {
    const g = xorGraph();
    g.nodes.push(n('linear1', 'Linear', { in_features: null, out_features: 4, bias: true }));
    const a = validateGraph(g);
    expect(a.valid).toBe(true);
    expect(a.ignored).toEqual(['linear1']);
    expect(a.order).toEqual(['x', 'fc1', 'act1', 'fc2', 'y', 'loss']);
    // Its own fault (no input) stays visible, as a warning, beside the reason it is ignored.
    const own = a.issues.filter((i) => i.nodeId === 'linear1');
    expect(own.map((i) => [i.code, i.severity])).toEqual([
      ['missing-input', 'warning'],
      ['ignored-node', 'warning'],
    ]);
    expect(own[1].message).toBe('Linear "linear1" is not connected to the loss; ignored.');
  });

  it('ignores a branch that cannot run, and runs a complete one nothing reads (an output)', () => {
    const g = xorGraph();
    g.nodes.push(n('side', 'ReLU'), n('bad', 'Linear', { in_features: 5, out_features: 2 }));
    g.edges.push(e('fc1', 'side'), e('side', 'bad'));
    // fc1 gives N×8 but "bad" wants 5 features: "bad" cannot run, and "side" feeds only it.
    const a = validateGraph(g);
    expect(a.valid).toBe(true);
    expect([...a.ignored].sort()).toEqual(['bad', 'side']);
    g.nodes.pop();
    g.edges.pop();
    expect(validateGraph(g).ignored).toEqual([]);
  });

  it('names the nodes of a cycle', () => {
    const g = xorGraph();
    g.edges.push(e('act1', 'fc1', 'input', 'out', 'back'));
    g.edges = g.edges.filter((x) => x.id !== 'x.out->fc1.input');
    const { found } = only(g, 'cycle');
    expect(found.map((i) => i.nodeId).sort()).toEqual(['act1', 'fc1']);
    expect(found[0].message).toMatch(
      /Linear "fc1" → Tanh "act1" → Linear "fc1"|Tanh "act1" → Linear "fc1" → Tanh "act1"/,
    );
  });

  it('reports a missing required input on its port', () => {
    const g = xorGraph();
    g.edges = g.edges.filter((x) => x.target !== 'act1');
    const { found } = only(g, 'missing-input');
    expect(found[0]).toMatchObject({ nodeId: 'act1', port: 'input' });
    expect(found[0].message).toContain('Tanh "act1" needs a connection on its input port');
  });

  it('gives both shapes on a mismatch', () => {
    const g = xorGraph();
    g.nodes[3].params = { in_features: 5, out_features: 1 };
    const { found } = only(g, 'shape-mismatch');
    expect(found[0]).toMatchObject({ nodeId: 'fc2', port: 'input' });
    expect(found[0].message).toMatch(/5 input features.*N×8/);
  });

  it('refuses labels of the wrong kind for a loss', () => {
    const g = xorGraph();
    g.nodes[4].params = { kind: 'class-labels', shape: [] };
    const { found } = only(g, 'label-kind');
    expect(found[0]).toMatchObject({ nodeId: 'loss', port: 'target', edgeId: 'y.out->loss.target' });
    expect(found[0].message).toBe(
      'BCE with logits "loss" expects 0/1 labels on its target port, but Target "y" gives class labels.',
    );
  });

  it('refuses a tensor of the wrong kind on a layer port', () => {
    const g: Graph = {
      nodes: [n('x', 'Input', { shape: [3], kind: 'indices' }), n('fc', 'Linear')],
      edges: [e('x', 'fc')],
    };
    const { found } = only(g, 'port-kind');
    expect(found[0].message).toBe(
      'Linear "fc" cannot take token indices on its input port (it accepts a tensor or a sequence), which Input "x" gives.',
    );
  });

  it('flags an unknown node type without dropping the node', () => {
    const g = xorGraph();
    g.nodes[2].type = 'Swish';
    const { a, found } = only(g, 'unknown-type');
    expect(found[0]).toMatchObject({ nodeId: 'act1' });
    expect(found[0].message).toContain('unknown type "Swish"');
    // Nothing downstream is blamed for it.
    expect(a.issues.filter((i) => i.severity === 'error')).toHaveLength(1);
  });

  it('flags an unknown parameter and an invalid one by name', () => {
    const g = xorGraph();
    g.nodes[1].params = { out_features: 8, width: 3 };
    expect(only(g, 'unknown-parameter').found[0].message).toContain('unknown parameter "width"');
    const h = xorGraph();
    h.nodes[1].params = { out_features: -2 };
    expect(only(h, 'invalid-parameter').found[0].message).toMatch(
      /parameter "out_features" \(Out features\) is invalid.*got -2/,
    );
  });

  it('flags a loss that no input reaches', () => {
    // The loss scores something computed from the labels alone: no path from an Input.
    const g: Graph = {
      nodes: [
        n('x', 'Input', { shape: [1] }),
        n('y', 'Target', { kind: 'real-targets', shape: [1] }),
        n('z', 'Target', { kind: 'real-targets', shape: [1] }),
        n('r', 'Reshape', { shape: [1] }),
        n('loss', 'MSELoss'),
      ],
      edges: [e('z', 'r'), e('r', 'loss'), e('y', 'loss', 'target')],
    };
    const { found } = only(g, 'unreachable-loss');
    expect(found[0]).toMatchObject({ nodeId: 'loss', port: 'input' });
    expect(found[0].message).toBe(
      'MSE loss "loss" is not reached by any Input: what it scores does not depend on the data. Connect it to a path that starts at an Input.',
    );
    // Rewired from the Input, the same loss is fine.
    const ok = { ...g, edges: [e('x', 'r'), e('r', 'loss'), e('y', 'loss', 'target')] };
    expect(validateGraph(ok).issues.map((i) => i.code)).toEqual([]);
  });

  it('flags connections to missing nodes, unknown ports and doubled inputs', () => {
    const g = xorGraph();
    g.edges.push(e('ghost', 'fc1', 'input', 'out', 'dangling'));
    expect(only(g, 'dangling-edge').found[0]).toMatchObject({ edgeId: 'dangling' });
    const h = xorGraph();
    h.edges.push(e('x', 'fc2', 'weights', 'out', 'badport'));
    expect(only(h, 'unknown-port').found[0].message).toContain(
      'input "weights" that Linear "fc2" does not have (it has input)',
    );
    const k = xorGraph();
    k.edges.push(e('x', 'act1', 'input', 'out', 'second'));
    expect(only(k, 'duplicate-input').found[0]).toMatchObject({ edgeId: 'second', nodeId: 'act1', port: 'input' });
  });

  it('flags duplicate node ids', () => {
    const g = xorGraph();
    g.nodes.push(n('fc1', 'ReLU'));
    expect(only(g, 'duplicate-node').found[0].nodeId).toBe('fc1');
  });

  it('warns, without failing, when there is no loss', () => {
    const a = validateGraph({ nodes: [n('x', 'Input'), n('fc', 'Linear')], edges: [e('x', 'fc')] });
    expect(a.valid).toBe(true);
    expect(a.issues).toEqual([expect.objectContaining({ code: 'no-loss', severity: 'warning' })]);
  });
});
