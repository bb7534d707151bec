import type { AnyNodeTypeDef, InputTypes, TensorType } from './nodeType';
import { PORT_KIND_LABELS } from './nodeType';
import { memoryProblem, networkSize } from './memory';
import type { NetworkSize } from './memory';
import { parseParams } from './params';
import type { NodeTypeRegistry } from './registry/registry';
import { nodeTypes } from './registry/registerAll';
import type { Graph, GraphEdge, GraphNode } from './schema';
import { findCycle, topologicalOrder } from './topo';

export type IssueCode =
  | 'unknown-type'
  | 'unknown-parameter'
  | 'invalid-parameter'
  | 'duplicate-node'
  | 'dangling-edge'
  | 'unknown-port'
  | 'duplicate-input'
  | 'cycle'
  | 'missing-input'
  | 'port-kind'
  | 'label-kind'
  | 'shape-mismatch'
  | 'unreachable-loss'
  | 'no-loss'
  | 'ignored-node'
  | 'not-executable'
  | 'too-large'
  /** The project's data set does not fit the Input or Target (graph/dataFit.ts; the editor adds it). */
  | 'data-mismatch';

/** A problem in the graph, in plain words, attached to the node, port or edge at fault. */
export interface GraphIssue {
  readonly severity: 'error' | 'warning';
  readonly code: IssueCode;
  readonly message: string;
  readonly nodeId?: string;
  readonly port?: string;
  readonly edgeId?: string;
}

/** Everything the validator learned about a graph: issues, order, parameters and types. */
export interface GraphAnalysis {
  /** True when there is no issue of severity `error`. */
  readonly valid: boolean;
  readonly issues: readonly GraphIssue[];
  /** The nodes that run: outside any cycle and not ignored, in evaluation (topological) order. */
  readonly order: readonly string[];
  /**
   * Nodes that feed no loss and no prediction (a stray node left after a paste, a branch being
   * built): flagged with a warning and left out of the run, so they never block the rest.
   */
  readonly ignored: readonly string[];
  /** Each node's parameters with defaults filled in (only nodes whose parameters are valid). */
  readonly params: Readonly<Record<string, Record<string, unknown>>>;
  /** The type arriving on each connected input port of each node. */
  readonly inputs: Readonly<Record<string, InputTypes>>;
  /** The type of each output port of each node whose inference succeeded. */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, TensorType>>>>;
  /** The type carried by each edge whose source is known. */
  readonly edgeTypes: Readonly<Record<string, TensorType>>;
  /** The ids of the loss nodes. */
  readonly losses: readonly string[];
  /** Parameters and activations of the nodes whose types are known (graph/memory.ts). */
  readonly size: NetworkSize;
}

/** `Linear "fc1"` — how messages name a node. */
export function describeNode(node: GraphNode, def: AnyNodeTypeDef | undefined): string {
  return `${def?.title ?? node.type ?? 'node'} "${node.label ?? node.id}"`;
}

const kinds = (list: readonly string[]): string =>
  list.map((k) => PORT_KIND_LABELS[k as keyof typeof PORT_KIND_LABELS] ?? k).join(' or ');

/**
 * Validates a graph and infers every shape. Never throws: every problem becomes an issue
 * attached to a node, port or edge; an upstream problem does not cascade into errors downstream.
 *
 * @example
 * const a = validateGraph(project.graph);
 * if (!a.valid) for (const i of a.issues) console.log(i.nodeId, i.message);
 * a.edgeTypes['e1'].shape; // [-1, 8], i.e. N×8
 */
export interface ValidateOptions {
  /**
   * The training batch size: memory is refused for this many samples (default 1). The CLI, the
   * session and the editor pass the project's `training.batchSize` (`run`, its input's length).
   */
  readonly batchSize?: number;
}

export function validateGraph(
  graph: Graph,
  registry: NodeTypeRegistry = nodeTypes,
  options: ValidateOptions = {},
): GraphAnalysis {
  const issues: GraphIssue[] = [];
  const nodes = new Map<string, GraphNode>();
  const defs = new Map<string, AnyNodeTypeDef>();
  const params: Record<string, Record<string, unknown>> = {};
  const inputs: Record<string, Record<string, TensorType | undefined>> = {};
  const outputs: Record<string, Record<string, TensorType>> = {};
  const edgeTypes: Record<string, TensorType> = {};
  const name = (id: string): string => describeNode(nodes.get(id)!, defs.get(id));

  for (const node of graph.nodes) {
    if (nodes.has(node.id)) {
      issues.push({
        severity: 'error',
        code: 'duplicate-node',
        nodeId: node.id,
        message: `Two nodes have the id "${node.id}"; every node needs its own id.`,
      });
      continue;
    }
    nodes.set(node.id, node);
    const def = registry.get(node.type);
    if (!def) {
      issues.push({
        severity: 'error',
        code: 'unknown-type',
        nodeId: node.id,
        message: `Node "${node.label ?? node.id}" has an unknown type "${node.type}"; it cannot be computed. Replace it with a node from the palette.`,
      });
      continue;
    }
    defs.set(node.id, def);
    const parsed = parseParams(def.params, node.params);
    for (const p of parsed.issues) {
      issues.push({
        severity: 'error',
        code: p.unknown ? 'unknown-parameter' : 'invalid-parameter',
        nodeId: node.id,
        message: `${describeNode(node, def)}: ${p.message}.`,
      });
    }
    if (parsed.params) params[node.id] = parsed.params;
  }

  // Check each edge's ends and ports; keep the usable ones.
  const incoming = new Map<string, GraphEdge>();
  const usable: GraphEdge[] = [];
  for (const e of graph.edges) {
    const s = nodes.get(e.source);
    const t = nodes.get(e.target);
    if (!s || !t) {
      const missing = !s ? e.source : e.target;
      issues.push({
        severity: 'error',
        code: 'dangling-edge',
        edgeId: e.id,
        message: `Connection "${e.id}" ${!s ? 'starts at' : 'ends at'} a node "${missing}" that does not exist.`,
      });
      continue;
    }
    const sd = defs.get(s.id);
    const td = defs.get(t.id);
    if (sd && !sd.outputs.some((p) => p.name === e.sourcePort)) {
      issues.push({
        severity: 'error',
        code: 'unknown-port',
        edgeId: e.id,
        nodeId: s.id,
        message: `Connection "${e.id}" starts at an output "${e.sourcePort}" that ${name(s.id)} does not have${sd.outputs.length ? ` (it has ${sd.outputs.map((p) => p.name).join(', ')})` : ''}.`,
      });
      continue;
    }
    if (td && !td.inputs.some((p) => p.name === e.targetPort)) {
      issues.push({
        severity: 'error',
        code: 'unknown-port',
        edgeId: e.id,
        nodeId: t.id,
        message: `Connection "${e.id}" ends at an input "${e.targetPort}" that ${name(t.id)} does not have${td.inputs.length ? ` (it has ${td.inputs.map((p) => p.name).join(', ')})` : ''}.`,
      });
      continue;
    }
    const key = `${t.id}\u0000${e.targetPort}`;
    if (incoming.has(key)) {
      issues.push({
        severity: 'error',
        code: 'duplicate-input',
        edgeId: e.id,
        nodeId: t.id,
        port: e.targetPort,
        message: `The ${e.targetPort} port of ${name(t.id)} already has a connection ("${incoming.get(key)!.id}"); an input takes one.`,
      });
      continue;
    }
    incoming.set(key, e);
    usable.push(e);
  }

  const ids = [...nodes.keys()];
  const links = usable.map((e) => [e.source, e.target] as const);
  const { order, cyclic } = topologicalOrder(ids, links);
  reportCycles(cyclic, links, name, issues);

  for (const id of order) {
    const def = defs.get(id);
    const p = params[id];
    if (!def) continue;
    const ins: Record<string, TensorType | undefined> = {};
    let blocked = false;
    for (const port of def.inputs) {
      const e = incoming.get(`${id}\u0000${port.name}`);
      if (!e) {
        if (port.required) {
          issues.push({
            severity: 'error',
            code: 'missing-input',
            nodeId: id,
            port: port.name,
            message: `${name(id)} needs a connection on its ${port.label === port.name ? port.name : `${port.name} (${port.label})`} port.`,
          });
          blocked = true;
        }
        continue;
      }
      const t = outputs[e.source]?.[e.sourcePort];
      if (!t) {
        blocked = true;
        continue;
      }
      if (!port.accepts.includes(t.kind)) {
        const isTarget = port.role === 'target';
        issues.push({
          severity: 'error',
          code: isTarget ? 'label-kind' : 'port-kind',
          nodeId: id,
          port: port.name,
          edgeId: e.id,
          message: isTarget
            ? `${name(id)} expects ${kinds(port.accepts)} on its target port, but ${name(e.source)} gives ${kinds([t.kind])}.`
            : `${name(id)} cannot take ${kinds([t.kind])} on its ${port.name} port (it accepts ${kinds(port.accepts)}), which ${name(e.source)} gives.`,
        });
        blocked = true;
        continue;
      }
      ins[port.name] = t;
    }
    inputs[id] = ins;
    if (blocked || !p) continue;
    let r;
    try {
      r = def.infer({ params: p, inputs: ins });
    } catch (err) {
      r = {
        ok: false as const,
        message: `shape inference failed (${err instanceof Error ? err.message : String(err)})`,
      };
    }
    if (r.ok) outputs[id] = { ...r.outputs };
    else
      issues.push({
        severity: 'error',
        code: 'shape-mismatch',
        nodeId: id,
        ...(r.port ? { port: r.port } : {}),
        message: `${name(id)}: ${r.message}.`,
      });
  }

  for (const e of usable) {
    const t = outputs[e.source]?.[e.sourcePort];
    if (t) edgeTypes[e.id] = t;
  }

  // Memory, counted before anything is allocated, for the batch the caller names (else one sample).
  const size = networkSize(
    Object.keys(outputs).map((id) => ({
      def: defs.get(id)!,
      params: params[id]!,
      inputs: inputs[id]!,
      outputs: outputs[id]!,
    })),
  );
  const tooLarge = memoryProblem(size, Math.max(1, Math.floor(options.batchSize ?? 1)));
  if (tooLarge !== null) issues.push({ severity: 'error', code: 'too-large', message: tooLarge });

  const losses = ids.filter((id) => defs.get(id)?.family === 'Losses');
  checkLossReach(losses, usable, defs, incoming, name, issues);
  if (losses.length === 0 && nodes.size > 0) {
    issues.push({
      severity: 'warning',
      code: 'no-loss',
      message: 'The graph has no loss node, so it can run forward but cannot be trained or stepped backward.',
    });
  }
  const ignored = unusedNodes(ids, usable, defs, outputs);
  const reason = losses.length > 0 ? 'is not connected to the loss' : 'does not lead to a prediction';
  const ignoredSet = new Set(ignored);
  const edgeEnds = new Map(graph.edges.map((e) => [e.id, [e.source, e.target]]));
  const isIgnored = (i: GraphIssue): boolean =>
    (i.nodeId !== undefined && ignoredSet.has(i.nodeId)) ||
    (i.edgeId !== undefined && (edgeEnds.get(i.edgeId) ?? []).some((id) => ignoredSet.has(id)));
  // A fault of an ignored node stays in view, as a warning: it does not stop the rest from running.
  const kept = issues.map((i) => (i.severity === 'error' && isIgnored(i) ? { ...i, severity: 'warning' as const } : i));
  for (const id of ignored)
    kept.push({
      severity: 'warning',
      code: 'ignored-node',
      nodeId: id,
      message: `${name(id)} ${reason}; ignored.`,
    });
  return {
    valid: !kept.some((i) => i.severity === 'error'),
    issues: kept,
    order: order.filter((id) => !ignoredSet.has(id)),
    ignored,
    params,
    inputs,
    outputs,
    edgeTypes,
    losses,
    size,
  };
}

/**
 * The nodes from which no path leads to an output of the network: a loss, a prediction, or a
 * node nothing reads whose output could be computed (a Softmax at the end, an Input not used
 * yet). What is left is what blocks without being needed: a stray node, a branch being built.
 * A graph without a loss or a prediction has no goal to run for: it ignores nothing.
 */
function unusedNodes(
  ids: readonly string[],
  edges: readonly GraphEdge[],
  defs: Map<string, AnyNodeTypeDef>,
  outputs: Readonly<Record<string, unknown>>,
): string[] {
  const isGoal = (id: string): boolean => ['Losses', 'Prediction'].includes(defs.get(id)?.family ?? '');
  if (!ids.some(isGoal)) return [];
  const read = new Set(edges.map((e) => e.source));
  const sinks = ids.filter((id) => isGoal(id) || (!read.has(id) && outputs[id] !== undefined));
  const preds = new Map<string, string[]>();
  for (const e of edges) preds.set(e.target, [...(preds.get(e.target) ?? []), e.source]);
  const used = new Set(sinks);
  const stack = [...sinks];
  while (stack.length > 0) {
    for (const p of preds.get(stack.pop()!) ?? []) {
      if (!used.has(p)) {
        used.add(p);
        stack.push(p);
      }
    }
  }
  return ids.filter((id) => !used.has(id));
}

function reportCycles(
  cyclic: string[],
  links: readonly (readonly [string, string])[],
  name: (id: string) => string,
  issues: GraphIssue[],
): void {
  let rest = cyclic;
  // Each round names one cycle and removes it; nodes that were only downstream of a cycle drop out.
  for (let guard = 0; rest.length > 0 && guard < 1000; guard++) {
    const cycle = findCycle(rest, links);
    if (cycle.length === 0) break;
    const message = `These nodes form a cycle: ${[...cycle, cycle[0]].map(name).join(' → ')}. Data must flow one way; remove one of these connections.`;
    for (const id of cycle) issues.push({ severity: 'error', code: 'cycle', nodeId: id, message });
    const removed = new Set(cycle);
    const remaining = rest.filter((id) => !removed.has(id));
    rest = topologicalOrder(
      remaining,
      links.filter(([a, b]) => !removed.has(a) && !removed.has(b)),
    ).cyclic;
  }
}

function checkLossReach(
  losses: string[],
  edges: readonly GraphEdge[],
  defs: Map<string, AnyNodeTypeDef>,
  incoming: Map<string, GraphEdge>,
  name: (id: string) => string,
  issues: GraphIssue[],
): void {
  const preds = new Map<string, string[]>();
  for (const e of edges) {
    const list = preds.get(e.target) ?? [];
    list.push(e.source);
    preds.set(e.target, list);
  }
  for (const loss of losses) {
    const e = incoming.get(`${loss}\u0000input`);
    if (!e) continue;
    const seen = new Set<string>([e.source]);
    const stack = [e.source];
    let reached = false;
    while (stack.length > 0 && !reached) {
      const id = stack.pop()!;
      if (defs.get(id)?.type === 'Input') reached = true;
      for (const p of preds.get(id) ?? []) {
        if (!seen.has(p)) {
          seen.add(p);
          stack.push(p);
        }
      }
    }
    if (!reached)
      issues.push({
        severity: 'error',
        code: 'unreachable-loss',
        nodeId: loss,
        port: 'input',
        message: `${name(loss)} is not reached by any Input: what it scores does not depend on the data. Connect it to a path that starts at an Input.`,
      });
  }
}
