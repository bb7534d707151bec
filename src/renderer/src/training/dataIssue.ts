import { dataFitProblem } from '../../../engine/graph/dataFit';
import type { GraphAnalysis, GraphIssue } from '../../../engine/graph/validate';
import type { GraphDoc } from '../state/docModel';
import { dataKey } from './dataKey';
import type { DataInfo } from './trainingTypes';

/**
 * The error a graph gets when it cannot run on its project's data set: on the Input (or Target)
 * at fault, with the engine's sentence (the one training would fail with). Graphs without an
 * Input (a hand-sized computational graph) are not about data, and get none.
 */
export function dataIssue(doc: GraphDoc, a: GraphAnalysis, data: DataInfo): GraphIssue | null {
  if (data.key !== dataKey(doc.training)) return null;
  const typed = (type: string) =>
    doc.graph.nodes
      .filter((n) => n.type === type && a.outputs[n.id]?.out)
      .map((n) => ({ id: n.id, out: a.outputs[n.id]!.out }));
  const inputs = typed('Input');
  if (inputs.length === 0) return null;
  if (data.error !== null)
    return {
      severity: 'error',
      code: 'data-mismatch',
      nodeId: inputs[0].id,
      message: `The data set cannot be loaded: ${data.error}`,
    };
  if (!data.description) return null;
  const bad = dataFitProblem(inputs, typed('Target'), data.description);
  if (!bad?.nodeId) return null;
  const message = `${bad.message.charAt(0).toUpperCase()}${bad.message.slice(1)}; choose the data set’s shapes in the Training tab`;
  return { severity: 'error', code: 'data-mismatch', nodeId: bad.nodeId, message };
}
