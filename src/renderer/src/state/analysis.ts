import { validateGraph } from '../../../engine/graph/validate';
import type { GraphAnalysis, GraphIssue } from '../../../engine/graph/validate';
import type { Graph } from '../../../engine/graph/schema';
import type { GraphDoc } from './docModel';
import type { DataInfo } from '../training/trainingTypes';
import { dataIssue } from '../training/dataIssue';
import { dataKey } from '../training/dataKey';

/** The validator's verdict, indexed for the canvas: issues by node and by edge. */
export interface Analysis {
  readonly result: GraphAnalysis;
  readonly nodeIssues: ReadonlyMap<string, readonly GraphIssue[]>;
  readonly edgeIssues: ReadonlyMap<string, readonly GraphIssue[]>;
  readonly errorCount: number;
  readonly warningCount: number;
}

/**
 * A message without its leading `Linear "fc1": `, for places that already show which node it is
 * about (the node itself, its inspector).
 */
export function withoutNodePrefix(message: string, title: string, name: string): string {
  // `Linear "fc1": expects …`, `Linear "fc1" needs …` and `Linear "fc1" is not …` ("Not …").
  const prefix = `${title} "${name}"`;
  let text = message;
  if (message.startsWith(`${prefix}: `)) text = message.slice(prefix.length + 2);
  else if (message.startsWith(`${prefix} `)) text = message.slice(prefix.length + 1).replace(/^is /, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Issues that are the normal state of a graph still being wired, shown more quietly than mistakes. */
export const INCOMPLETE_CODES: ReadonlySet<string> = new Set(['missing-input', 'unreachable-loss']);

let lastGraph: Graph | undefined;
let lastAnalysis: Analysis | undefined;
let lastBatch: number | undefined;

/**
 * Positions do not change shapes: a drag replaces node objects but keeps their `type` and
 * `params` objects, so the previous analysis still holds and 200-node drags stay cheap.
 */
function sameStructure(a: Graph, b: Graph): boolean {
  if (a === b) return true;
  if (a.edges !== b.edges || a.nodes.length !== b.nodes.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i];
    const y = b.nodes[i];
    if (x !== y && (x.id !== y.id || x.type !== y.type || x.params !== y.params || x.label !== y.label)) return false;
  }
  return true;
}

let lastData: { base: Analysis; data: DataInfo | null | undefined; key: string; analysis: Analysis } | undefined;

/**
 * Validates the document's graph (memoized); runs in the renderer, on every edit, in well under a
 * frame for course graphs. With the data set's description (`data`), a graph that cannot run on
 * the project's data set gets an error on its Input or Target.
 */
export function analyze(doc: GraphDoc, data?: DataInfo | null): Analysis {
  const base = analyzeGraph(doc.graph, doc.training.batchSize);
  const key = dataKey(doc.training);
  if (lastData && lastData.base === base && lastData.data === data && lastData.key === key) return lastData.analysis;
  const extra = data ? dataIssue(doc, base.result, data) : null;
  const analysis = extra
    ? indexIssues({
        ...base.result,
        valid: base.result.valid && extra.severity !== 'error',
        issues: [...base.result.issues, extra],
      })
    : base;
  lastData = { base, data, key, analysis };
  return analysis;
}

/** Memory is counted at the training batch size: "This network needs N GB; the limit is M" as the host says it. */
function analyzeGraph(graph: Graph, batchSize: number): Analysis {
  if (lastAnalysis && lastGraph && lastBatch === batchSize && sameStructure(lastGraph, graph)) {
    lastGraph = graph;
    return lastAnalysis;
  }
  lastGraph = graph;
  lastBatch = batchSize;
  lastAnalysis = indexIssues(validateGraph(graph, undefined, { batchSize }));
  return lastAnalysis;
}

function indexIssues(result: GraphAnalysis): Analysis {
  const nodeIssues = new Map<string, GraphIssue[]>();
  const edgeIssues = new Map<string, GraphIssue[]>();
  let errorCount = 0;
  let warningCount = 0;
  for (const issue of result.issues) {
    if (issue.severity === 'error') errorCount++;
    else warningCount++;
    if (issue.nodeId) {
      const list = nodeIssues.get(issue.nodeId) ?? [];
      list.push(issue);
      nodeIssues.set(issue.nodeId, list);
    }
    if (issue.edgeId) {
      const list = edgeIssues.get(issue.edgeId) ?? [];
      list.push(issue);
      edgeIssues.set(issue.edgeId, list);
    }
  }
  return { result, nodeIssues, edgeIssues, errorCount, warningCount };
}
