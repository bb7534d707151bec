import { Module } from '../nn/module';
import { add as addScalar } from '../ops/arithmetic';
import type { DType } from '../tensor/dtype';
import { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';
import type { AnyNodeTypeDef, InputTypes, TensorType } from '../graph/nodeType';
import type { NodeTypeRegistry } from '../graph/registry/registry';
import { nodeTypes } from '../graph/registry/registerAll';
import type { Graph, GraphEdge, Project, WeightTensor } from '../graph/schema';
import type { GraphAnalysis, GraphIssue } from '../graph/validate';
import { describeNode, validateGraph } from '../graph/validate';
import { BUILDERS, DATA_TYPES } from './builderRegistry';
import type { NodeBuilder, NodeRuntime } from './builderTypes';

export interface CompileOptions {
  /** Seed of the weight initialisation (default 0). */
  readonly seed?: number;
  readonly dtype?: DType;
  /** Initial weights by `<nodeId>.<torchName>`; every parameter must be given. */
  readonly weights?: Readonly<Record<string, WeightTensor>>;
  readonly registry?: NodeTypeRegistry;
  readonly builders?: Readonly<Record<string, NodeBuilder>>;
  /** The batch size memory is checked for before anything is allocated (graph/memory.ts; default 1). */
  readonly batchSize?: number;
}

/** One node of a compiled graph. */
export interface CompiledNode {
  readonly id: string;
  readonly def: AnyNodeTypeDef;
  readonly params: Readonly<Record<string, unknown>>;
  /** The edge feeding each connected input port. */
  readonly inputEdges: Readonly<Record<string, GraphEdge>>;
  readonly inputTypes: InputTypes;
  readonly outputTypes: Readonly<Record<string, TensorType>>;
  /** Undefined for Input and Target nodes. */
  readonly runtime?: NodeRuntime;
}

export type CompileResult =
  | { readonly ok: true; readonly model: GraphModel; readonly analysis: GraphAnalysis }
  | { readonly ok: false; readonly issues: readonly GraphIssue[]; readonly analysis: GraphAnalysis };

/** The values of one evaluation: for each node, its output tensors by port. */
export type NodeValues = Map<string, Readonly<Record<string, Tensor>>>;

/**
 * A valid graph as an engine module. Its parameters are named `<nodeId>.<torchName>`
 * (`fc1.weight`), so state dicts move to and from PyTorch by name.
 */
export class GraphModel extends Module {
  constructor(
    readonly graph: Graph,
    readonly nodes: readonly CompiledNode[],
    readonly dtype: DType,
  ) {
    super();
    for (const n of nodes) if (n.runtime?.module) this.registerModule(n.id, n.runtime.module);
  }

  node(id: string): CompiledNode | undefined {
    return this.nodes.find((n) => n.id === id);
  }

  // NOTE: the node list never changes, so these lists are made once (the loss nodes are read at
  // every training step).
  private cachedInputs: readonly CompiledNode[] | undefined;
  private cachedTargets: readonly CompiledNode[] | undefined;
  private cachedLosses: readonly CompiledNode[] | undefined;
  /** Each node's connected input ports and their edges, made at its first evaluation. */
  private readonly portsOf = new WeakMap<CompiledNode, readonly (readonly [string, GraphEdge])[]>();

  get inputNodes(): readonly CompiledNode[] {
    return (this.cachedInputs ??= this.nodes.filter((n) => n.def.type === 'Input'));
  }

  get targetNodes(): readonly CompiledNode[] {
    return (this.cachedTargets ??= this.nodes.filter((n) => n.def.type === 'Target'));
  }

  get lossNodes(): readonly CompiledNode[] {
    return (this.cachedLosses ??= this.nodes.filter((n) => n.def.family === 'Losses'));
  }

  /**
   * Evaluates one node from the values of the nodes before it (data nodes read the batch).
   * Gradients flow only through differentiable nodes.
   */
  evaluate(
    node: CompiledNode,
    values: NodeValues,
    batch: Readonly<Record<string, Tensor>>,
  ): Readonly<Record<string, Tensor>> {
    if (!node.runtime) {
      const t = batch[node.id];
      if (!t) throw new Error(`The batch has no values for ${describeNode(this.graphNode(node.id), node.def)}.`);
      return { out: t };
    }
    const ins: Record<string, Tensor> = {};
    let ports = this.portsOf.get(node);
    if (ports === undefined) {
      ports = Object.entries(node.inputEdges);
      this.portsOf.set(node, ports);
    }
    for (let i = 0; i < ports.length; i++) {
      const port = ports[i][0];
      const e = ports[i][1];
      const v = values.get(e.source)?.[e.sourcePort];
      if (!v)
        throw new Error(
          `${describeNode(this.graphNode(node.id), node.def)} runs before its ${port} input is computed.`,
        );
      ins[port] = v;
    }
    return node.runtime.forward(ins, this.training);
  }

  /** Runs every node in order; returns the values and the total loss (sum over loss nodes), if any. */
  forward(batch: Readonly<Record<string, Tensor>>): { values: NodeValues; loss: Tensor | undefined } {
    const values: NodeValues = new Map();
    const nodes = this.nodes;
    for (let i = 0; i < nodes.length; i++) values.set(nodes[i].id, this.evaluate(nodes[i], values, batch));
    return { values, loss: totalLoss(this, values) };
  }

  private graphNode(id: string) {
    return this.graph.nodes.find((n) => n.id === id)!;
  }
}

/** The loss values of the loss nodes, added up (one loss node: that tensor itself). */
export function totalLoss(model: GraphModel, values: NodeValues): Tensor | undefined {
  const nodes = model.lossNodes;
  if (nodes.length === 1) return values.get(nodes[0].id)?.loss;
  const losses = nodes.map((n) => values.get(n.id)?.loss).filter((t): t is Tensor => t !== undefined);
  if (losses.length === 0) return undefined;
  return losses.length === 1 ? losses[0] : losses.slice(1).reduce((a, b) => addScalar(a, b), losses[0]);
}

/**
 * Validates a graph and builds it into a {@link GraphModel}. Never throws: invalid graphs,
 * node types the engine cannot run yet, and bad initial weights become issues. Nodes that feed no
 * loss or prediction (`analysis.ignored`) are left out of the model.
 *
 * @example
 * const r = compileGraph(project.graph, { seed: 0 });
 * if (r.ok) r.model.namedParameters().map(([name]) => name); // ['fc1.weight', 'fc1.bias', …]
 */
export function compileGraph(whole: Graph, opts: CompileOptions = {}): CompileResult {
  const registry = opts.registry ?? nodeTypes;
  const builders = opts.builders ?? BUILDERS;
  const analysis = validateGraph(whole, registry, opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {});
  // Nodes that feed no loss or prediction are not built: the model is the part that runs.
  const ignored = new Set(analysis.ignored);
  const graph: Graph =
    ignored.size === 0
      ? whole
      : {
          ...whole,
          nodes: whole.nodes.filter((n) => !ignored.has(n.id)),
          edges: whole.edges.filter((e) => !ignored.has(e.source) && !ignored.has(e.target)),
        };
  const issues: GraphIssue[] = analysis.issues.filter((i) => i.severity === 'error');
  for (const node of graph.nodes) {
    const def = registry.get(node.type);
    if (!def) continue;
    if (!DATA_TYPES.has(node.type) && !builders[node.type]) {
      issues.push({
        severity: 'error',
        code: 'not-executable',
        nodeId: node.id,
        message: `${describeNode(node, def)} cannot run yet: this version of the engine has no ${def.title} layer. It can be edited and exported, but not stepped or trained.`,
      });
    }
    if (node.id.includes('.')) {
      issues.push({
        severity: 'error',
        code: 'not-executable',
        nodeId: node.id,
        message: `${describeNode(node, def)}: a node id used in parameter names cannot contain a dot ("${node.id}").`,
      });
    }
  }
  if (issues.length > 0) return { ok: false, issues, analysis };

  const rng = new Rng(opts.seed ?? 0);
  const dtype = opts.dtype ?? 'float32';
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const incoming = new Map<string, Record<string, GraphEdge>>();
  for (const e of graph.edges) {
    const m = incoming.get(e.target) ?? {};
    m[e.targetPort] = e;
    incoming.set(e.target, m);
  }
  const compiled: CompiledNode[] = [];
  let building: string | undefined;
  try {
    for (const id of analysis.order) {
      building = id;
      const node = byId.get(id)!;
      const def = registry.get(node.type)!;
      const params = analysis.params[id];
      const inputTypes = analysis.inputs[id] ?? {};
      const outputTypes = analysis.outputs[id] ?? {};
      const builder = builders[node.type];
      const runtime = builder
        ? builder({ nodeId: id, params, inputs: inputTypes, outputs: outputTypes, rng, dtype })
        : undefined;
      compiled.push({
        id,
        def,
        params,
        inputEdges: incoming.get(id) ?? {},
        inputTypes,
        outputTypes,
        ...(runtime ? { runtime } : {}),
      });
    }
  } catch (e) {
    return {
      ok: false,
      analysis,
      issues: [
        building === undefined
          ? {
              severity: 'error',
              code: 'not-executable',
              message: `The graph could not be built: ${(e as Error).message}`,
            }
          : {
              severity: 'error',
              code: 'not-executable',
              nodeId: building,
              message: `${describeNode(byId.get(building)!, registry.get(byId.get(building)!.type))}: ${(e as Error).message}${lineOf(e)}.`,
            },
      ],
    };
  }
  const model = new GraphModel(graph, compiled, dtype);
  if (opts.weights) {
    const problem = loadWeights(model, opts.weights);
    if (problem)
      return { ok: false, analysis, issues: [{ severity: 'error', code: 'not-executable', message: problem }] };
  }
  return { ok: true, model, analysis };
}

/** ` (line 3)` for an error that names a line of a custom node's code. */
function lineOf(e: unknown): string {
  const line = (e as { line?: unknown }).line;
  return typeof line === 'number' ? ` (line ${line})` : '';
}

/** Copies weights by name into the model; returns a sentence on any mismatch (and changes nothing). */
export function loadWeights(model: GraphModel, weights: Readonly<Record<string, WeightTensor>>): string | undefined {
  const params = new Map(model.namedParameters());
  for (const [name, t] of params) {
    const w = weights[name];
    if (!w) return `The weights have no "${name}" (expected shape ${t.shape.join('×')}).`;
    if (w.shape.length !== t.shape.length || w.shape.some((d, i) => d !== t.shape[i]))
      return `The weights "${name}" have shape ${w.shape.join('×')}, but the model's parameter has shape ${t.shape.join('×')}.`;
  }
  const extra = Object.keys(weights).filter((k) => !params.has(k));
  if (extra.length > 0)
    return `The weights contain "${extra[0]}", which is not a parameter of this model (its parameters are ${[...params.keys()].join(', ') || 'none'}).`;
  for (const name of params.keys()) {
    const data = weights[name].data;
    if (data.some((v) => !Number.isFinite(v)))
      return `The weights "${name}" contain a value that is not a finite number.`;
  }
  for (const [name, t] of params) t.data.set(weights[name].data);
  return undefined;
}

/** The model's parameters as weight tensors by name (the project file's `weights`). */
export function dumpWeights(model: GraphModel): Record<string, WeightTensor> {
  const out: Record<string, WeightTensor> = {};
  for (const [name, t] of model.namedParameters()) out[name] = { shape: [...t.shape], data: t.toArray() };
  return out;
}

/** A project whose graph cannot run: every error, the first one as the message. */
export class ProjectCompileError extends Error {
  constructor(readonly issues: readonly GraphIssue[]) {
    super(issues[0]?.message ?? 'the graph has errors');
    this.name = 'ProjectCompileError';
  }

  /** The node the first error is about, if any. */
  get nodeId(): string | undefined {
    return this.issues[0]?.nodeId;
  }
}

/**
 * Compiles a project's graph with the given weights, else the project's own, else a seeded
 * initialisation (the project's training seed unless `seed` is given) — the one compile of a
 * project for the CLI and the host's sessions. Throws {@link ProjectCompileError} naming the
 * first problem; memory is checked for `batchSize` samples before a weight is allocated.
 *
 * @example
 * const model = compileProject(project, { dtype: 'float64' });
 */
export function compileProject(
  project: Project,
  opts: {
    readonly weights?: Readonly<Record<string, WeightTensor>>;
    readonly dtype?: DType;
    readonly seed?: number;
    readonly batchSize?: number;
  } = {},
): GraphModel {
  const weights = opts.weights ?? project.weights;
  const r = compileGraph(project.graph, {
    seed: opts.seed ?? project.training.seed,
    dtype: opts.dtype ?? 'float32',
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
    ...(weights !== undefined ? { weights } : {}),
  });
  if (!r.ok) throw new ProjectCompileError(r.issues);
  return r.model;
}
