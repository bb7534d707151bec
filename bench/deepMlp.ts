// A deep, narrow MLP on XOR, shared by the glyph-repaint benchmark and the step e2e.

/** What the generated document takes from a project (the XOR example): everything but the graph. */
export type ProjectTemplate = Record<string, unknown>;

/**
 * Linear(8) + Sigmoid, `depth` times (the last Linear has one output), into a BCE loss: 2·depth + 1
 * edges, each with a glyph when stepped, and a gradient that vanishes on its way back (σ′ ≤ 1/4
 * at every layer). The rest of the document (format, training settings) comes from `template`.
 */
export function deepMlp(template: ProjectTemplate, depth: number): unknown {
  const nodes: { id: string; type: string; params: Record<string, unknown>; position: { x: number; y: number } }[] = [];
  const edges: { id: string; source: string; sourcePort: string; target: string; targetPort: string }[] = [];
  const at = (i: number) => ({ x: (i % 10) * 260, y: Math.floor(i / 10) * 220 });
  nodes.push({ id: 'x', type: 'Input', params: { shape: [2], kind: 'tensor' }, position: at(0) });
  let prev = 'x';
  for (let i = 1; i <= depth; i++) {
    nodes.push({
      id: `fc${i}`,
      type: 'Linear',
      params: { out_features: i === depth ? 1 : 8 },
      position: at(2 * i - 1),
    });
    edges.push({ id: `a${i}`, source: prev, sourcePort: 'out', target: `fc${i}`, targetPort: 'input' });
    prev = `fc${i}`;
    if (i === depth) break;
    nodes.push({ id: `t${i}`, type: 'Sigmoid', params: {}, position: at(2 * i) });
    edges.push({ id: `b${i}`, source: prev, sourcePort: 'out', target: `t${i}`, targetPort: 'input' });
    prev = `t${i}`;
  }
  nodes.push({ id: 'y', type: 'Target', params: { kind: 'binary-labels', shape: [1] }, position: at(2 * depth + 1) });
  nodes.push({ id: 'loss', type: 'BCEWithLogitsLoss', params: { reduction: 'mean' }, position: at(2 * depth + 2) });
  edges.push({ id: 'out', source: prev, sourcePort: 'out', target: 'loss', targetPort: 'input' });
  edges.push({ id: 'lab', source: 'y', sourcePort: 'out', target: 'loss', targetPort: 'target' });
  return { ...template, name: 'Deep MLP', graph: { nodes, edges } };
}
