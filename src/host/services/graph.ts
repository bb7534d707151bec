// The graph service: validation and shape inference of the canvas's graph, for instant feedback.
import { loadProjectValue } from '../../engine/graph/load';
import { PROJECT_FORMAT, PROJECT_VERSION, defaultTrainingSettings } from '../../engine/graph/schema';
import type { Graph } from '../../engine/graph/schema';
import { validateGraph } from '../../engine/graph/validate';
import type { GraphIssue } from '../../engine/graph/validate';
import type { GraphIssuePayload } from '../../shared/api/graph';
import { HostError } from '../errors';
import type { FileAccess } from '../files/fileAccess';
import type { Handlers } from '../host';
import { checkDataset } from './session';

/** Reads a graph the way the project loader does: bad nodes are kept and flagged, never fatal. */
function readGraph(graph: { nodes: unknown[]; edges: unknown[] }): { graph: Graph; issues: GraphIssuePayload[] } {
  const r = loadProjectValue({
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    name: '',
    description: '',
    graph,
    training: defaultTrainingSettings(),
  });
  if (!r.ok)
    throw new HostError('invalid-request', r.error.replace(/^Cannot open the project/, 'Cannot read the graph'));
  const issues = r.issues.map((i) => ({
    severity: 'warning' as const,
    code: 'repaired',
    message: `${i.path}: ${i.message}`,
  }));
  return { graph: r.project.graph, issues };
}

function issuePayload(i: GraphIssue): GraphIssuePayload {
  const out: GraphIssuePayload = { severity: i.severity, code: i.code, message: i.message };
  if (i.nodeId !== undefined) out.nodeId = i.nodeId;
  if (i.port !== undefined) out.port = i.port;
  if (i.edgeId !== undefined) out.edgeId = i.edgeId;
  return out;
}

export function graphHandlers(access: FileAccess): Pick<Handlers, 'graph.validate' | 'graph.inferShapes'> {
  return {
    'graph.validate': async ({ graph, batchSize, dataset }, ctx) => {
      const { graph: g, issues } = readGraph(graph);
      const a = validateGraph(g, undefined, batchSize !== undefined ? { batchSize } : {});
      const out = [...issues, ...a.issues.map(issuePayload)];
      // The data set, checked as session.create will check it (without reading it).
      const dataProblem = await checkDataset(dataset, access, ctx).then(
        () => null,
        (err: unknown) => (err instanceof HostError ? err.message : String(err)),
      );
      if (dataProblem !== null) out.push({ severity: 'error', code: 'dataset', message: dataProblem });
      return { valid: a.valid && dataProblem === null, issues: out, order: [...a.order] };
    },
    'graph.inferShapes': async ({ graph }) => {
      const { graph: g, issues } = readGraph(graph);
      const a = validateGraph(g);
      const t = (x: { shape: readonly number[]; kind: string }) => ({ shape: [...x.shape], kind: x.kind });
      return {
        edges: Object.fromEntries(Object.entries(a.edgeTypes).map(([id, x]) => [id, t(x)])),
        outputs: Object.fromEntries(
          Object.entries(a.outputs).map(([id, ports]) => [
            id,
            Object.fromEntries(Object.entries(ports).map(([p, x]) => [p, t(x)])),
          ]),
        ),
        issues: [...issues, ...a.issues.map(issuePayload)],
      };
    },
  };
}
