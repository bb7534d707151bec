import { describe, expect, it } from 'vitest';
import type { DataDescription } from '../../../engine/graph/dataFit';
import { analyze } from './analysis';
import { emptyDoc } from './docModel';
import type { GraphDoc } from './docModel';
import { addNode, connect } from './graphOps';
import { fitTargetToLoss } from './targetFit';

/** Input (2 features) → Linear(`outputs`) → `loss` ← a new Target (the palette's defaults). */
function wired(loss: string, outputs: number, scoresFirst = true): { doc: GraphDoc; loss: string; target: string } {
  let doc = emptyDoc();
  const x = addNode(doc, 'Input', { shape: [2], kind: 'tensor' }, { x: 0, y: 0 });
  const fc = addNode(x.doc, 'Linear', { out_features: outputs, bias: true }, { x: 200, y: 0 });
  const l = addNode(fc.doc, loss, { reduction: 'mean' }, { x: 400, y: 0 });
  const y = addNode(l.doc, 'Target', { kind: 'class-labels', shape: [] }, { x: 200, y: 200 });
  doc = y.doc;
  doc = connect(doc, { source: x.id, sourcePort: 'out', target: fc.id, targetPort: 'input' }).doc;
  const scores = { source: fc.id, sourcePort: 'out', target: l.id, targetPort: 'input' };
  const labels = { source: y.id, sourcePort: 'out', target: l.id, targetPort: 'target' };
  for (const c of scoresFirst ? [scores, labels] : [labels, scores]) doc = connect(doc, c).doc;
  return { doc, loss: l.id, target: y.id };
}

const params = (doc: GraphDoc, id: string) => doc.graph.nodes.find((n) => n.id === id)!.params;
const errors = (doc: GraphDoc) => analyze(doc).errorCount;

const xor: DataDescription = {
  name: 'xor',
  task: 'classification',
  featureShape: [2],
  targetShape: [1],
  numClasses: 2,
};
const sine: DataDescription = { name: 'sine', task: 'regression', featureShape: [1], targetShape: [1] };
const spirals: DataDescription = {
  name: 'spirals',
  task: 'classification',
  featureShape: [2],
  targetShape: [1],
  numClasses: 3,
};

describe('a Target wired to a loss takes its labels', () => {
  it('binary cross-entropy: 0/1 labels of the scores’ shape, and the graph is valid without another edit', () => {
    const { doc, loss, target } = wired('BCEWithLogitsLoss', 1);
    expect(errors(doc)).toBeGreaterThan(0);
    const fit = fitTargetToLoss(doc, loss, null)!;
    expect(params(fit.doc, target)).toEqual({ kind: 'binary-labels', shape: [1] });
    expect(errors(fit.doc)).toBe(0);
    expect(fit.message).toBe('Target “target1” now gives 0/1 labels, N×1, as BCE with logits takes them.');
  });

  it('cross-entropy: class indices, one per row of scores; a Target that already fits is left alone', () => {
    const { doc, loss } = wired('CrossEntropyLoss', 3);
    expect(errors(doc)).toBe(0);
    expect(fitTargetToLoss(doc, loss, spirals)).toBeNull();
  });

  it('mean squared error on a regression set: real targets of the output’s shape', () => {
    const { doc, loss, target } = wired('MSELoss', 2);
    const fit = fitTargetToLoss(doc, loss, sine)!;
    expect(params(fit.doc, target)).toEqual({ kind: 'real-targets', shape: [2] });
    expect(errors(fit.doc)).toBe(0);
  });

  it('the data set chooses among the kinds the loss takes: MSE on XOR keeps 0/1-able labels, not real ones', () => {
    // MSE takes real targets, ±1 or 0/1 labels; a Target already giving ±1 labels keeps them for XOR.
    const { doc, loss, target } = wired('MSELoss', 1);
    const pm1 = {
      ...doc,
      graph: {
        ...doc.graph,
        nodes: doc.graph.nodes.map((n) => (n.id === target ? { ...n, params: { kind: 'pm1-labels', shape: [] } } : n)),
      },
    };
    const fit = fitTargetToLoss(pm1, loss, xor)!;
    expect(params(fit.doc, target)).toEqual({ kind: 'pm1-labels', shape: [1] });
    // On a regression set the same Target must give real targets.
    expect(params(fitTargetToLoss(pm1, loss, sine)!.doc, target)).toEqual({ kind: 'real-targets', shape: [1] });
  });

  it('wired before the scores arrive, it takes the kind at once and the shape when the scores come', () => {
    const w = wired('BCEWithLogitsLoss', 4, false);
    const { loss, target } = w;
    let doc = w.doc;
    // Re-create the order of a user's edits: the labels' wire first (no scores yet) …
    const scores = doc.graph.edges.find((e) => e.target === loss && e.targetPort === 'input')!;
    const noScores = { ...doc, graph: { ...doc.graph, edges: doc.graph.edges.filter((e) => e !== scores) } };
    const first = fitTargetToLoss(noScores, loss, xor)!;
    expect(params(first.doc, target)).toEqual({ kind: 'binary-labels', shape: [1] });
    // … then the scores (N×4 here): the shape follows them.
    doc = connect(first.doc, { ...scores }).doc;
    expect(params(fitTargetToLoss(doc, loss, xor)!.doc, target)).toEqual({ kind: 'binary-labels', shape: [4] });
  });

  it('does nothing for a node that is not a loss, or a loss without a Target', () => {
    const { doc } = wired('BCEWithLogitsLoss', 1);
    const fc = doc.graph.nodes.find((n) => n.type === 'Linear')!.id;
    expect(fitTargetToLoss(doc, fc, null)).toBeNull();
    const l = addNode(doc, 'CrossEntropyLoss', {}, { x: 0, y: 0 });
    expect(fitTargetToLoss(l.doc, l.id, null)).toBeNull();
  });
});
