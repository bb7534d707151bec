// The language-neutral half of code generation: walks a valid graph in evaluation order, names
// every node and value, and asks each node type's emitter for its lines. tsProgram and
// pyProgram lay the result out as files; neither walks the graph again.
import type { AnyNodeTypeDef } from '../graph/nodeType';
import { nodeTypes } from '../graph/registry/registerAll';
import { DEFAULT_IGNORE_INDEX } from '../graph/registry/losses';
import type { Graph, GraphNode } from '../graph/schema';
import type { GraphAnalysis } from '../graph/validate';
import { describeNode, validateGraph } from '../graph/validate';
import type { EmitLang, EmitResult } from '../graph/emit';
import { identifiersFor } from './names';

/** One node's place in a generated program. */
export interface NodeCode {
  readonly node: GraphNode;
  readonly def: AnyNodeTypeDef;
  /** Its identifier: the module field, the parameter prefix (`fc1.weight`), the value's name. */
  readonly name: string;
  /** The variable holding each output port's value (losses: `loss` → the loss variable). */
  readonly outputs: Readonly<Record<string, string>>;
  /** The variable arriving on each connected input port. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Undefined for Input and Target nodes, which the batch provides. */
  readonly emitted?: EmitResult;
}

/** A graph ready to be written out in one language. */
export interface ProgramPlan {
  readonly lang: EmitLang;
  readonly analysis: GraphAnalysis;
  /** Every node in evaluation order. */
  readonly nodes: readonly NodeCode[];
  /** Input and Target nodes, in evaluation order: the forward method's parameters. */
  readonly dataNodes: readonly NodeCode[];
  /** The loss variables of the loss nodes, in order. */
  readonly losses: readonly string[];
  /** The values a gradient flows into (from-scratch code allocates `d_<value>` for each). */
  readonly needsGrad: ReadonlySet<string>;
  /** The node id → identifier map, for weights (`<nodeId>.weight` → `<name>.weight`). */
  readonly names: ReadonlyMap<string, string>;
}

/** Why a graph cannot be exported, naming the node at fault when there is one. */
export class ExportError extends Error {
  constructor(
    message: string,
    readonly nodeId?: string,
  ) {
    super(message);
  }
}

const DATA_TYPES = new Set(['Input', 'Target']);
const LANG_TITLES: Readonly<Record<EmitLang, string>> = {
  ts: 'TypeScript',
  python: 'PyTorch',
  scratch: 'TypeScript from scratch',
};

/** Validates the graph and collects every node's emitted lines; throws ExportError naming a node that cannot be emitted. */
export function planProgram(graph: Graph, lang: EmitLang): ProgramPlan {
  const analysis = validateGraph(graph, nodeTypes);
  const error = analysis.issues.find((i) => i.severity === 'error');
  if (error) throw new ExportError(error.message, error.nodeId);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const names = identifiersFor(analysis.order);
  const vars = new Map<string, Record<string, string>>();
  // Values a gradient flows into: outputs of a node with weights or of a differentiable node fed by one.
  const needsGrad = new Set<string>();
  const nodes: NodeCode[] = [];
  const losses: string[] = [];
  for (const id of analysis.order) {
    const node = byId.get(id)!;
    const def = nodeTypes.get(node.type)!;
    const name = names.get(id)!;
    const outputs: Record<string, string> = {};
    for (const p of def.outputs) outputs[p.name] = p.name === 'out' ? name : `${name}_${p.name}`;
    if (def.family === 'Losses') outputs.loss = name;
    vars.set(id, outputs);
    const inputs: Record<string, string> = {};
    for (const e of graph.edges) if (e.target === id) inputs[e.targetPort] = vars.get(e.source)![e.sourcePort];
    const gradInputs: Record<string, string> = {};
    for (const [port, v] of Object.entries(inputs)) if (needsGrad.has(v)) gradInputs[port] = `d_${v}`;
    const hasWeights = (def.parameters?.(analysis.params[id], analysis.inputs[id] ?? {}) ?? 0) > 0;
    if (def.differentiable && !DATA_TYPES.has(node.type) && (hasWeights || Object.keys(gradInputs).length > 0))
      for (const p of def.outputs) needsGrad.add(outputs[p.name]);
    if (DATA_TYPES.has(node.type)) {
      nodes.push({ node, def, name, outputs, inputs });
      continue;
    }
    const { loss, ...ports } = outputs;
    const emitted: EmitResult | undefined = def.emit[lang]({
      name,
      params: analysis.params[id],
      inputs,
      outputs: ports,
      ...(loss ? { lossVar: loss } : {}),
      ...(lang === 'scratch' ? { gradInputs } : {}),
      inputTypes: analysis.inputs[id] ?? {},
      outputTypes: analysis.outputs[id] ?? {},
    });
    if (!emitted || emitted.refused)
      throw new ExportError(
        `${describeNode(node, def)} cannot be exported to ${LANG_TITLES[lang]}${emitted?.refused ? `: ${emitted.refused}` : ' yet'}.`,
        id,
      );
    if (loss) losses.push(loss);
    nodes.push({ node, def, name, outputs, inputs, emitted });
  }
  return {
    lang,
    analysis,
    nodes,
    dataNodes: nodes.filter((n) => DATA_TYPES.has(n.node.type)),
    losses,
    needsGrad,
    names,
  };
}

/** A node's one-line caption in generated code: `fc1 — Linear 2 → 8`. */
export function caption(n: NodeCode, analysis: GraphAnalysis): string {
  const summary = n.def.summary(analysis.params[n.node.id], analysis.inputs[n.node.id] ?? {});
  const label = n.node.label ? ` "${n.node.label}"` : '';
  return `${n.name}${label} — ${n.def.title}${summary ? ` ${summary}` : ''}`;
}

/**
 * A mean loss that ignores a target index (the padding of sequences) and the Target node feeding
 * it, else null. Its batch value is a mean over the kept targets, so a split's mean loss weighs
 * each batch by the targets it keeps (the app's `evaluate` does the same).
 */
export function ignoredTargets(plan: ProgramPlan): { index: number; target: string } | null {
  if (plan.losses.length !== 1) return null;
  for (const n of plan.nodes) {
    if (n.def.family !== 'Losses') continue;
    const p = plan.analysis.params[n.node.id] as { reduction?: string; ignore_index?: number };
    if (p.reduction === 'sum' || p.ignore_index === undefined || p.ignore_index === DEFAULT_IGNORE_INDEX) return null;
    const t = plan.dataNodes.find((d) => d.node.type === 'Target');
    return t ? { index: p.ignore_index, target: t.node.id } : null;
  }
  return null;
}

/** Whether the graph's loss is sum-reduced (then a batch's loss is a sum over its samples, not a mean). */
export function sumReduced(plan: ProgramPlan): boolean {
  return plan.nodes.some((n) => n.def.family === 'Losses' && plan.analysis.params[n.node.id].reduction === 'sum');
}
