import { LABEL_KINDS, PORT_KIND_LABELS } from '../../../engine/graph/nodeType';
import type { PortKind } from '../../../engine/graph/nodeType';
import { nodeTypes as registry } from '../../../engine/graph/registry/registerAll';
import { analyze } from '../state/analysis';
import type { Analysis } from '../state/analysis';
import type { GraphDoc } from '../state/docModel';

export interface PortConnection {
  source: string;
  sourceHandle?: string | null;
  target: string;
  targetHandle?: string | null;
}

const kindText = (k: string): string => PORT_KIND_LABELS[k as PortKind] ?? k;

/**
 * Why a connection may not be made, in plain words; null when it may. Shape mismatches are
 * allowed (they show as an error on the node, to be fixed in the inspector); kinds that can
 * never fit, self-loops and cycles are refused.
 */
export function connectionProblem(doc: GraphDoc, analysis: Analysis, c: PortConnection): string | null {
  if (!c.sourceHandle || !c.targetHandle) return 'Connect an output port to an input port.';
  if (c.source === c.target) return 'A node cannot feed its own input.';
  const s = doc.graph.nodes.find((n) => n.id === c.source);
  const t = doc.graph.nodes.find((n) => n.id === c.target);
  if (!s || !t) return 'One end of this connection no longer exists.';
  const sd = registry.get(s.type);
  const td = registry.get(t.type);
  if (!sd || !td) return 'A node of unknown type cannot be connected; replace it with a node from the palette.';
  const out = sd.outputs.find((p) => p.name === c.sourceHandle);
  const inp = td.inputs.find((p) => p.name === c.targetHandle);
  if (!out || !inp) return 'Connect an output port (right side) to an input port (left side).';
  const known = analysis.result.outputs[s.id]?.[out.name]?.kind;
  const declared = out.kind === 'dynamic' ? undefined : out.kind;
  const kind = known ?? declared;
  // A Target wired to a loss takes the labels that loss takes (targetFit), whatever it gave before.
  const adapts = s.type === 'Target' && inp.accepts.some((k) => LABEL_KINDS.includes(k));
  if (kind && !adapts && !inp.accepts.includes(kind)) {
    return `${td.title} "${t.label ?? t.id}" takes ${inp.accepts.map(kindText).join(' or ')} on its ${inp.label} port, but ${sd.title} "${s.label ?? s.id}" gives ${kindText(kind)}.`;
  }
  if (reaches(doc, c.target, c.source))
    return `This connection would close a loop (${t.label ?? t.id} already feeds ${s.label ?? s.id}); data must flow one way.`;
  return null;
}

/**
 * The kind an output port carries: inferred where the validator knows it, else as declared.
 * None for a Target, whose kind follows the loss it is wired to.
 */
export function sourceKind(doc: GraphDoc, nodeId: string, port: string): PortKind | undefined {
  const node = doc.graph.nodes.find((n) => n.id === nodeId);
  const out = node ? registry.get(node.type)?.outputs.find((p) => p.name === port) : undefined;
  if (!node || !out || node.type === 'Target') return undefined;
  return analyze(doc).result.outputs[nodeId]?.[port]?.kind ?? (out.kind === 'dynamic' ? undefined : out.kind);
}

/** Whether `from` reaches `to` along the document's edges. */
function reaches(doc: GraphDoc, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of doc.graph.edges) {
    const list = next.get(e.source) ?? [];
    list.push(e.target);
    next.set(e.source, list);
  }
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    for (const n of next.get(id) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return false;
}
