import type { DataDescription } from '../../../engine/graph/dataFit';
import { dataFitOffer } from '../../../engine/graph/dataFit';
import type { PortKind } from '../../../engine/graph/nodeType';
import { nodeTypes } from '../../../engine/graph/registry/registerAll';
import type { GraphDoc } from '../state/docModel';

/** One change the offer would make, in words, and the document with all of them. */
export interface OfferPlan {
  readonly changes: readonly string[];
  readonly doc: GraphDoc;
}

const shapeText = (s: readonly number[]): string => (s.length === 0 ? 'one value' : s.join('×'));
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const TARGET_WORDS: Record<string, string> = {
  'class-labels': 'class indices',
  'pm1-labels': '±1 labels',
  'binary-labels': '0/1 labels',
  'real-targets': 'real targets',
};

/**
 * What makes the graph take the data set: the Input's shape, the Target's kind and shape, and the
 * width of the Linear that feeds the loss (C classes, 1 for binary labels). Null when nothing
 * needs to change or the graph has not exactly one Input.
 */
export function planDataOffer(doc: GraphDoc, data: DataDescription): OfferPlan | null {
  const nodes = doc.graph.nodes;
  const inputs = nodes.filter((n) => n.type === 'Input');
  if (inputs.length !== 1) return null;
  const input = inputs[0];
  const targets = nodes.filter((n) => n.type === 'Target');
  const target = targets.length === 1 ? targets[0] : null;
  const inShape = Array.isArray(input.params.shape) ? (input.params.shape as number[]) : null;
  const tKind = (target?.params.kind as PortKind | undefined) ?? 'class-labels';
  const tShape = Array.isArray(target?.params.shape) ? (target.params.shape as number[]) : [];
  const offer = dataFitOffer(inShape, target ? { kind: tKind, shape: tShape } : null, data);
  const changes: string[] = [];
  const params = new Map<string, Record<string, unknown>>();
  if (!same(inShape, offer.inputShape)) {
    params.set(input.id, { ...input.params, shape: [...offer.inputShape] });
    changes.push(`Input “${input.label ?? input.id}” takes ${shapeText(offer.inputShape)}`);
  }
  if (target && (tKind !== offer.targetKind || !same(tShape, offer.targetShape))) {
    params.set(target.id, { ...target.params, kind: offer.targetKind, shape: [...offer.targetShape] });
    changes.push(`Target “${target.label ?? target.id}” gives ${TARGET_WORDS[offer.targetKind]}`);
  }
  // The layer that scores: the Linear wired into the loss's first port.
  const loss = nodes.find((n) => nodeTypes.get(n.type)?.family === 'Losses');
  const lossInput = loss && nodeTypes.get(loss.type)?.inputs[0]?.name;
  const scorer = loss
    ? doc.graph.edges.find((e) => e.target === loss.id && e.targetPort === lossInput)?.source
    : undefined;
  const linear = nodes.find((n) => n.id === scorer && n.type === 'Linear');
  if (linear && linear.params.out_features !== offer.outputs) {
    params.set(linear.id, { ...linear.params, out_features: offer.outputs });
    changes.push(`Linear “${linear.label ?? linear.id}” has ${offer.outputs} output${offer.outputs === 1 ? '' : 's'}`);
  }
  if (changes.length === 0) return null;
  // Trained weights of other shapes cannot be kept.
  const { weights: _weights, ...rest } = doc;
  return {
    changes,
    doc: {
      ...rest,
      graph: { ...doc.graph, nodes: nodes.map((n) => (params.has(n.id) ? { ...n, params: params.get(n.id)! } : n)) },
    },
  };
}
