import { describe, expect, it } from 'vitest';
import { analyze } from '../state/analysis';
import { emptyDoc } from '../state/docModel';
import { addNode, connect, moveNodes, setNodeParams } from '../state/graphOps';
import { createFlowModel } from './flowModel';

function xorDoc() {
  let d = emptyDoc();
  d = addNode(d, 'Input', { shape: [2], kind: 'tensor' }, { x: 0, y: 0 }).doc;
  d = addNode(d, 'Linear', { in_features: null, out_features: 8, bias: true }, { x: 200, y: 0 }).doc;
  d = addNode(d, 'Tanh', {}, { x: 400, y: 0 }).doc;
  d = connect(d, { source: 'input1', sourcePort: 'out', target: 'linear1', targetPort: 'input' }).doc;
  d = connect(d, { source: 'linear1', sourcePort: 'out', target: 'tanh1', targetPort: 'input' }).doc;
  return d;
}

describe('flow model', () => {
  it('derives nodes with summaries and edges with inferred shapes', () => {
    const doc = xorDoc();
    const m = createFlowModel();
    const a = analyze(doc);
    const nodes = m.nodes(doc, a, new Set(['linear1']), {}, null);
    expect(nodes.map((n) => n.type)).toEqual(['data', 'layer', 'activation']);
    expect(nodes[1].selected).toBe(true);
    expect(nodes[1].data.summary).toBe('2 → 8');
    const edges = m.edges(doc, a, new Set());
    expect(edges.map((e) => e.data?.type?.shape)).toEqual([
      [-1, 2],
      [-1, 8],
    ]);
  });

  it('reuses untouched nodes when one moves, and keeps the analysis', () => {
    const doc = xorDoc();
    const m = createFlowModel();
    const first = m.nodes(doc, analyze(doc), new Set(), {}, null);
    const moved = moveNodes(doc, new Map([['tanh1', { x: 500, y: 50 }]]));
    const a2 = analyze(moved);
    expect(a2).toBe(analyze(doc));
    const second = m.nodes(moved, a2, new Set(), {}, null);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(second[2]).not.toBe(first[2]);
    expect(second[2].position).toEqual({ x: 500, y: 50 });
    // Edges did not change: the very same array, so React Flow skips its edge bookkeeping.
    const e1 = m.edges(doc, analyze(doc), new Set());
    expect(m.edges(moved, a2, new Set())).toBe(e1);
  });

  it('puts the validator message on the node with a shape error', () => {
    const doc = setNodeParams(xorDoc(), 'linear1', { in_features: 3, out_features: 8, bias: true });
    const a = analyze(doc);
    const nodes = createFlowModel().nodes(doc, a, new Set(), {}, null);
    const errors = nodes[1].data.errors;
    expect(errors[0].code).toBe('shape-mismatch');
    expect(errors[0].message).toContain('expects 3 input features');
    expect(nodes[0].data.errors).toEqual([]);
  });
});
