import type { Graph, GraphEdge, GraphNode } from './schema';

/** Small builders for graphs in tests and examples: `n('fc1', 'Linear', { out_features: 8 })`. */
export function n(id: string, type: string, params: Record<string, unknown> = {}): GraphNode {
  return { id, type, params, position: { x: 0, y: 0 } };
}

/** An edge `source.sourcePort → target.targetPort`, with an id derived from its ends. */
export function e(
  source: string,
  target: string,
  targetPort = 'input',
  sourcePort = 'out',
  id = `${source}.${sourcePort}->${target}.${targetPort}`,
): GraphEdge {
  return { id, source, sourcePort, target, targetPort };
}

/** Input(2) → Linear(hidden) → Tanh → Linear(1) → BCEWithLogits ← Target(0/1). */
export function xorGraph(hidden = 8): Graph {
  return {
    nodes: [
      n('x', 'Input', { shape: [2] }),
      n('fc1', 'Linear', { out_features: hidden }),
      n('act1', 'Tanh'),
      n('fc2', 'Linear', { out_features: 1 }),
      n('y', 'Target', { kind: 'binary-labels', shape: [1] }),
      n('loss', 'BCEWithLogitsLoss'),
    ],
    edges: [e('x', 'fc1'), e('fc1', 'act1'), e('act1', 'fc2'), e('fc2', 'loss'), e('y', 'loss', 'target')],
  };
}
