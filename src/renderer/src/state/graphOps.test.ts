import { describe, expect, it } from 'vitest';
import { emptyDoc } from './docModel';
import {
  addNode,
  connect,
  extractFragment,
  freshNodeId,
  moveNodes,
  parseFragment,
  pasteFragment,
  removeElements,
  setNodeParams,
} from './graphOps';

function chain() {
  let doc = emptyDoc();
  const a = addNode(doc, 'Input', { shape: [2] }, { x: 0, y: 0 });
  const b = addNode(a.doc, 'Linear', { out_features: 4 }, { x: 200, y: 0 });
  const c = addNode(b.doc, 'Tanh', {}, { x: 400, y: 0 });
  doc = c.doc;
  doc = connect(doc, { source: a.id, sourcePort: 'out', target: b.id, targetPort: 'input' }).doc;
  doc = connect(doc, { source: b.id, sourcePort: 'out', target: c.id, targetPort: 'input' }).doc;
  return { doc, ids: [a.id, b.id, c.id] };
}

describe('graphOps', () => {
  it('names new nodes after their type without reusing ids', () => {
    expect(freshNodeId('BCEWithLogitsLoss', new Set())).toBe('bcewithlogitsloss1');
    expect(freshNodeId('Linear', new Set(['linear1', 'linear2']))).toBe('linear3');
    const { ids } = chain();
    expect(ids).toEqual(['input1', 'linear1', 'tanh1']);
  });

  it('replaces the edge already plugged into an input port', () => {
    const { doc } = chain();
    const extra = addNode(doc, 'Input', {}, { x: 0, y: 100 });
    const r = connect(extra.doc, { source: extra.id, sourcePort: 'out', target: 'linear1', targetPort: 'input' });
    const into = r.doc.graph.edges.filter((e) => e.target === 'linear1');
    expect(into).toHaveLength(1);
    expect(into[0].source).toBe(extra.id);
  });

  it('removes a node with its edges and shares untouched objects', () => {
    const { doc } = chain();
    const after = removeElements(doc, ['linear1'], []);
    expect(after.graph.nodes.map((n) => n.id)).toEqual(['input1', 'tanh1']);
    expect(after.graph.edges).toHaveLength(0);
    expect(after.graph.nodes[0]).toBe(doc.graph.nodes[0]);
    expect(removeElements(doc, [], [])).toBe(doc);
  });

  it('moves nodes without touching their parameters, and returns the same document for no move', () => {
    const { doc } = chain();
    const moved = moveNodes(doc, new Map([['linear1', { x: 210, y: 10 }]]));
    expect(moved.graph.nodes[1].position).toEqual({ x: 210, y: 10 });
    expect(moved.graph.nodes[1].params).toBe(doc.graph.nodes[1].params);
    expect(moved.graph.edges).toBe(doc.graph.edges);
    expect(moveNodes(doc, new Map([['linear1', { x: 200, y: 0 }]]))).toBe(doc);
  });

  it('copies and pastes a fragment with fresh ids and the internal edges only', () => {
    const { doc } = chain();
    const frag = extractFragment(doc, ['linear1', 'tanh1']);
    expect(frag.edges).toHaveLength(1);
    const text = JSON.stringify(frag);
    const parsed = parseFragment(text)!;
    const r = pasteFragment(doc, parsed, { x: 30, y: 30 });
    expect(r.nodeIds).toEqual(['linear2', 'tanh2']);
    const pastedEdge = r.doc.graph.edges.find((e) => e.id === r.edgeIds[0])!;
    expect([pastedEdge.source, pastedEdge.target]).toEqual(['linear2', 'tanh2']);
    expect(r.doc.graph.nodes.find((n) => n.id === 'linear2')!.position).toEqual({ x: 230, y: 30 });
  });

  it('rejects clipboard text that is not a fragment, and drops malformed entries', () => {
    expect(parseFragment('hello')).toBeUndefined();
    expect(parseFragment('{"kind":"other"}')).toBeUndefined();
    const f = parseFragment(
      JSON.stringify({
        kind: 'backprop-studio/fragment',
        version: 1,
        nodes: [{ id: 'a', type: 'ReLU', params: {}, position: { x: 0, y: 0 } }, { id: 'b' }, null],
        edges: [{ id: 1 }],
      }),
    )!;
    expect(f.nodes.map((n) => n.id)).toEqual(['a']);
    expect(f.edges).toEqual([]);
  });

  it('sets parameters on one node only', () => {
    const { doc } = chain();
    const next = setNodeParams(doc, 'linear1', { out_features: 9 });
    expect(next.graph.nodes[1].params).toEqual({ out_features: 9 });
    expect(next.graph.nodes[0]).toBe(doc.graph.nodes[0]);
  });
});
