import { nodeTypes } from '../../../engine/graph/registry/registerAll';
import type { GraphDoc } from '../state/docModel';
import { describeSettings } from './settingsFields';

/**
 * What tells a run apart in a comparison's legend: the graph's activations and the training
 * settings ("ReLU · Adam lr 0.01, batch 32"), so sigmoid vs ReLU or SGD vs Adam reads at a glance.
 */
export function describeRun(doc: GraphDoc): string {
  const acts = [
    ...new Set(
      doc.graph.nodes
        .filter((n) => nodeTypes.get(n.type)?.family === 'Activations')
        .map((n) => nodeTypes.get(n.type)!.title),
    ),
  ];
  return [acts.join('+'), describeSettings(doc.training)].filter(Boolean).join(' · ');
}
