import { describe, expect, it } from 'vitest';
import { emptyDoc } from './docModel';
import { NODE_WIDTH, spreadToFit } from './spread';

function docAt(points: [number, number][]) {
  const d = emptyDoc();
  return {
    ...d,
    graph: {
      nodes: points.map(([x, y], i) => ({ id: `n${i}`, type: 'ReLU', params: {}, position: { x, y } })),
      edges: [],
    },
  };
}

describe('spreadToFit', () => {
  it('stretches a row of nodes placed closer than the canvas draws them', () => {
    const d = spreadToFit(
      docAt([
        [0, 80],
        [180, 80],
        [360, 80],
      ]),
    );
    const xs = d.graph.nodes.map((n) => n.position.x);
    expect(xs[1] - xs[0]).toBeGreaterThanOrEqual(NODE_WIDTH + 40);
    expect(d.graph.nodes.map((n) => n.position.y)).toEqual([80, 80, 80]);
  });

  it('leaves a layout that fits alone, and is idempotent', () => {
    const fits = docAt([
      [0, 0],
      [300, 0],
      [0, 200],
    ]);
    expect(spreadToFit(fits)).toBe(fits);
    const once = spreadToFit(
      docAt([
        [0, 0],
        [150, 0],
      ]),
    );
    expect(spreadToFit(once)).toBe(once);
  });

  it('stretches a column vertically without moving it sideways', () => {
    const d = spreadToFit(
      docAt([
        [0, 0],
        [0, 60],
      ]),
    );
    expect(d.graph.nodes[1].position.x).toBe(0);
    expect(d.graph.nodes[1].position.y).toBeGreaterThanOrEqual(100);
  });
});
