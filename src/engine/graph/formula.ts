import type { NodeTypeRegistry } from './registry/registry';
import { nodeTypes } from './registry/registerAll';
import type { Graph } from './schema';
import { latexShape } from './shape';
import type { GraphAnalysis } from './validate';

/** The symbol each activation applies, for composed formulas such as z = σ(Ax + b). */
const ACTIVATION_SYMBOL: Readonly<Record<string, string>> = {
  Sigmoid: '\\sigma',
  Tanh: '\\tanh',
  ReLU: '\\mathrm{ReLU}',
  LeakyReLU: '\\mathrm{LeakyReLU}',
};

/**
 * The formula the inspector shows for a node, with the shapes the validator inferred. An
 * activation fed by a Linear layer shows the layer too — `z = \sigma(Ax + b)` with `A`'s shape —
 * as the course writes it. Never throws: undefined for unknown nodes or types.
 *
 * @example
 * nodeFormula(graph, validateGraph(graph), 'act1'); // 'z = \\tanh(Ax + b),\\quad A \\in \\mathbb{R}^{8\\times 2},\\; b \\in \\mathbb{R}^{8}'
 */
export function nodeFormula(
  graph: Graph,
  analysis: GraphAnalysis,
  nodeId: string,
  registry: NodeTypeRegistry = nodeTypes,
): string | undefined {
  try {
    const node = graph.nodes.find((n) => n.id === nodeId);
    const def = node && registry.get(node.type);
    const params = analysis.params[nodeId];
    if (!node || !def || !params) return undefined;
    const own = def.formula({ params, inputs: analysis.inputs[nodeId] ?? {}, outputs: analysis.outputs[nodeId] });
    const symbol = ACTIVATION_SYMBOL[node.type];
    const edge = graph.edges.find((e) => e.target === nodeId && e.targetPort === 'input');
    const source = edge && graph.nodes.find((n) => n.id === edge.source);
    if (!symbol || !source || source.type !== 'Linear' || !analysis.params[source.id]) return own;
    const lp = analysis.params[source.id] as { out_features: number; in_features: number | null; bias: boolean };
    const x = analysis.inputs[source.id]?.input;
    const inF = lp.in_features ?? (x ? x.shape[x.shape.length - 1] : 'd');
    const arg =
      node.type === 'LeakyReLU'
        ? `Ax${lp.bias ? ' + b' : ''};\\ ${String((params as { negative_slope: number }).negative_slope)}`
        : `Ax${lp.bias ? ' + b' : ''}`;
    const out = analysis.outputs[nodeId]?.out;
    const shapes = `A \\in \\mathbb{R}^{${lp.out_features}\\times ${inF}}${lp.bias ? `,\\; b \\in \\mathbb{R}^{${lp.out_features}}` : ''}${out ? `,\\; z \\in \\mathbb{R}^{${latexShape(out.shape)}}` : ''}`;
    return `z = ${symbol}(${arg}),\\quad ${shapes}`;
  } catch {
    return undefined;
  }
}
