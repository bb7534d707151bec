import { nodeTypes as registry } from '../../../engine/graph/registry/registerAll';
import type { InputTypes, TensorType } from '../../../engine/graph/nodeType';
import { withoutNodePrefix } from '../state/analysis';
import type { Analysis } from '../state/analysis';
import type { DocEdge, DocNode, GraphDoc } from '../state/docModel';
import { FAMILY_NODE_TYPE } from './families';
import type { GraphFlowNode, GraphNodeData, ShapeFlowEdge } from './flowTypes';

const EMPTY_INPUTS: InputTypes = {};
const EMPTY_OUTPUTS: Readonly<Record<string, TensorType>> = {};
const NO_ERRORS: GraphNodeData['errors'] = [];

function summaryOf(node: DocNode, analysis: Analysis): string {
  const def = registry.get(node.type);
  if (!def) return '';
  const params = analysis.result.params[node.id];
  if (!params) return 'invalid parameters';
  try {
    return def.summary(params, analysis.result.inputs[node.id] ?? EMPTY_INPUTS);
  } catch {
    return '';
  }
}

/**
 * The validator's errors for a node. On the node itself the leading `Linear "fc1": ` of each
 * message is redundant (the node says who it is), so it is dropped there.
 */
function nodeErrors(node: DocNode, analysis: Analysis): GraphNodeData['errors'] {
  // An ignored node says so first, then the faults that would otherwise block (now warnings).
  const ignored = analysis.result.ignored.includes(node.id);
  const issues = analysis.nodeIssues
    .get(node.id)
    ?.filter((i) => i.severity === 'error' || ignored)
    .sort((a, b) => Number(b.code === 'ignored-node') - Number(a.code === 'ignored-node'));
  if (!issues || issues.length === 0) return NO_ERRORS;
  const title = registry.get(node.type)?.title ?? node.type;
  return issues.map((i) => ({ code: i.code, message: withoutNodePrefix(i.message, title, node.label ?? node.id) }));
}

interface NodeCacheEntry {
  doc: DocNode;
  selected: boolean;
  stepping: boolean;
  measured: { width: number; height: number } | undefined;
  analysis: Analysis;
  flow: GraphFlowNode;
}

interface EdgeCacheEntry {
  doc: DocEdge;
  selected: boolean;
  analysis: Analysis;
  flow: ShapeFlowEdge;
}

/**
 * Derives React Flow's nodes and edges from the document, reusing the previous object of every
 * node and edge whose inputs did not change, so React Flow re-renders only what moved.
 */
export function createFlowModel(): {
  nodes(
    doc: GraphDoc,
    analysis: Analysis,
    selected: ReadonlySet<string>,
    measured: Readonly<Record<string, { width: number; height: number }>>,
    stepping: string | null,
  ): GraphFlowNode[];
  edges(doc: GraphDoc, analysis: Analysis, selected: ReadonlySet<string>): ShapeFlowEdge[];
} {
  let nodeCache = new Map<string, NodeCacheEntry>();
  let edgeCache = new Map<string, EdgeCacheEntry>();
  let lastEdges: ShapeFlowEdge[] = [];

  return {
    nodes(doc, analysis, selected, measured, stepping) {
      const next = new Map<string, NodeCacheEntry>();
      const out = doc.graph.nodes.map((n) => {
        const isSel = selected.has(n.id);
        const isStep = stepping === n.id;
        const m = measured[n.id];
        const prev = nodeCache.get(n.id);
        if (
          prev &&
          prev.doc === n &&
          prev.selected === isSel &&
          prev.stepping === isStep &&
          prev.measured === m &&
          prev.analysis === analysis
        ) {
          next.set(n.id, prev);
          return prev.flow;
        }
        // Only the position or selection changed: reuse the summary and errors computed last time.
        const sameData =
          prev &&
          prev.analysis === analysis &&
          prev.stepping === isStep &&
          prev.doc.type === n.type &&
          prev.doc.params === n.params &&
          prev.doc.label === n.label;
        const def = registry.get(n.type);
        const data = sameData
          ? { ...prev.flow.data, node: n }
          : {
              node: n,
              def,
              summary: summaryOf(n, analysis),
              errors: nodeErrors(n, analysis),
              inputs: analysis.result.inputs[n.id] ?? EMPTY_INPUTS,
              outputs: analysis.result.outputs[n.id] ?? EMPTY_OUTPUTS,
              stepping: isStep,
            };
        const flow: GraphFlowNode = {
          id: n.id,
          type: def ? (FAMILY_NODE_TYPE[def.family] as GraphFlowNode['type']) : 'unknown',
          position: n.position,
          data,
          selected: isSel,
          ...(m ? { measured: m } : {}),
        };
        next.set(n.id, { doc: n, selected: isSel, stepping: isStep, measured: m, analysis, flow });
        return flow;
      });
      nodeCache = next;
      return out;
    },

    edges(doc, analysis, selected) {
      const next = new Map<string, EdgeCacheEntry>();
      const out = doc.graph.edges.map((e) => {
        const isSel = selected.has(e.id);
        const prev = edgeCache.get(e.id);
        if (prev && prev.doc === e && prev.selected === isSel && prev.analysis === analysis) {
          next.set(e.id, prev);
          return prev.flow;
        }
        const issues = analysis.edgeIssues.get(e.id);
        const flow: ShapeFlowEdge = {
          id: e.id,
          type: 'shape',
          source: e.source,
          sourceHandle: e.sourcePort,
          target: e.target,
          targetHandle: e.targetPort,
          selected: isSel,
          data: { type: analysis.result.edgeTypes[e.id], error: issues?.find((i) => i.severity === 'error')?.message },
        };
        next.set(e.id, { doc: e, selected: isSel, analysis, flow });
        return flow;
      });
      edgeCache = next;
      // Same edges as last time (e.g. while a node is dragged): hand React Flow the same array,
      // or it rebuilds its connection lookup for every edge on every frame.
      if (out.length === lastEdges.length && out.every((e, i) => e === lastEdges[i])) return lastEdges;
      lastEdges = out;
      return out;
    },
  };
}
