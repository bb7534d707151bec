import { recurrentNodeTypes } from '../../../engine/graph/registry/recurrent';
import type { AppState } from '../state/appState';

const RECURRENT = new Set<string>(recurrentNodeTypes.map((d) => d.type));

/** Whether a node type unrolls over time (RNN, LSTM, GRU). */
export function isRecurrentType(type: string): boolean {
  return RECURRENT.has(type);
}

/** The one recurrent node among the selected nodes; null when there is none or more than one. */
export function selectedRecurrent(s: Pick<AppState, 'doc' | 'selection'>): string | null {
  const selected = s.doc.graph.nodes.filter((n) => s.selection.nodes.includes(n.id) && isRecurrentType(n.type));
  return selected.length === 1 ? selected[0].id : null;
}

/**
 * The node "Unroll Through Time" opens: the selected recurrent node, else the graph's only
 * recurrent node; null when neither is there.
 *
 * @example unrollTarget(getState()) // 'rnn'
 */
export function unrollTarget(s: Pick<AppState, 'doc' | 'selection'>): string | null {
  const nodes = s.doc.graph.nodes;
  const selected = nodes.filter((n) => s.selection.nodes.includes(n.id) && isRecurrentType(n.type));
  if (selected.length === 1) return selected[0].id;
  const all = nodes.filter((n) => isRecurrentType(n.type));
  return selected.length === 0 && all.length === 1 ? all[0].id : null;
}
