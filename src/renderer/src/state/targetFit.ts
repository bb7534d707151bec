import type { DataDescription } from '../../../engine/graph/dataFit';
import { LABEL_KINDS, PORT_KIND_LABELS } from '../../../engine/graph/nodeType';
import type { PortKind } from '../../../engine/graph/nodeType';
import { nodeTypes } from '../../../engine/graph/registry/registerAll';
import { BATCH, formatShape } from '../../../engine/graph/shape';
import { analyze } from './analysis';
import type { GraphDoc } from './docModel';
import { setNodeParams } from './graphOps';

/** The label-carrying input of a loss: the port that accepts labels (its `target`). */
function labelPort(type: string): string | undefined {
  return nodeTypes.get(type)?.inputs.find((p) => p.accepts.some((k) => LABEL_KINDS.includes(k)))?.name;
}

/** Label kinds the data set can give (all of them when no data set is described). */
function dataKinds(data: DataDescription | null | undefined): readonly PortKind[] {
  if (!data) return LABEL_KINDS;
  if (data.task === 'regression') return ['real-targets'];
  return (data.numClasses ?? 2) > 2 ? ['class-labels'] : ['class-labels', 'pm1-labels', 'binary-labels'];
}

/** What the Target was changed to, in words, and the document with the change. */
export interface TargetFit {
  readonly doc: GraphDoc;
  readonly message: string;
}

/**
 * After a connection, the Target that feeds a loss takes the labels that loss takes: its kind
 * (0/1 labels for binary cross-entropy, class indices for cross-entropy, real targets for MSE;
 * the one it has when the loss takes it and the data set can give it) and its shape (the scores'
 * shape for a per-element loss, the scores without their class dimension for class indices).
 * Null when the connected loss has no Target or it already fits.
 *
 * @example fitTargetToLoss(docWithTargetWiredToBce, null)?.message // 'Target “y” now gives 0/1 labels, N×1, …'
 */
export function fitTargetToLoss(
  doc: GraphDoc,
  lossId: string,
  data: DataDescription | null | undefined,
): TargetFit | null {
  const loss = doc.graph.nodes.find((n) => n.id === lossId);
  const lossDef = loss && nodeTypes.get(loss.type);
  const port = loss && labelPort(loss.type);
  if (!loss || !lossDef || !port) return null;
  const wire = doc.graph.edges.find((e) => e.target === loss.id && e.targetPort === port);
  const target = wire && doc.graph.nodes.find((n) => n.id === wire.source && n.type === 'Target');
  if (!target) return null;
  const accepts = lossDef.inputs.find((p) => p.name === port)!.accepts;
  const fromData = dataKinds(data);
  const current = target.params.kind as PortKind | undefined;
  const currentShape = Array.isArray(target.params.shape) ? (target.params.shape as number[]) : [];
  const kind =
    (current && accepts.includes(current) && fromData.includes(current) ? current : undefined) ??
    accepts.find((k) => fromData.includes(k)) ??
    accepts[0];
  if (!kind) return null;
  // The scores the loss compares the labels with: the source of its other input.
  const scoresPort = lossDef.inputs.find((p) => p.name !== port)?.name;
  const scoresWire = doc.graph.edges.find((e) => e.target === loss.id && e.targetPort === scoresPort);
  const scores = scoresWire
    ? analyze(doc).result.outputs[scoresWire.source]?.[scoresWire.sourcePort]?.shape
    : undefined;
  let shape: number[];
  if (scores && scores.length >= 1) {
    const perSample = scores.slice(1);
    shape = kind === 'class-labels' ? perSample.slice(0, -1) : perSample;
  } else if (kind === current) {
    shape = currentShape;
  } else if (kind === 'class-labels') {
    shape = [];
  } else {
    shape = data && data.targetShape.length > 0 ? [...data.targetShape] : [1];
  }
  if (kind === current && JSON.stringify(shape) === JSON.stringify(currentShape)) return null;
  const name = target.label ?? target.id;
  return {
    doc: setNodeParams(doc, target.id, { ...target.params, kind, shape }),
    message: `Target “${name}” now gives ${PORT_KIND_LABELS[kind]}, ${formatShape([BATCH, ...shape])}, as ${lossDef.title} takes them.`,
  };
}
